"""The write path: submissions, status changes, reassessment, the tick, retention and the
notice outbox. Every write reassesses the subjects it touches in the same transaction."""
