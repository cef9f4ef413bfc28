"""``registry rescore``: a registry's assessments recomputed by the batch scorer.

For a large registry after a new policy version: the records are exported to Parquet in
subject buckets, assessed by the batch scorer in bounded memory, rebuilt into whole engine
assessments (:mod:`socialcredit.batch.assessments`) and written back through the registry's own
reassessment path (notices, status events, audit), one transaction per bucket.
"""

from socialcredit.batch.rescore.run import RescoreOptions, RescoreReport, rescore

__all__ = ["RescoreOptions", "RescoreReport", "rescore"]
