"""The simulation lab: a scenario run month by month over a synthetic population."""
