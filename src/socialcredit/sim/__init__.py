"""Synthetic populations: subjects with valid identifiers and records of the loaded policies."""

from socialcredit.sim.synth import SynthOptions, SynthSummary, synthesise

__all__ = ["SynthOptions", "SynthSummary", "synthesise"]
