"""Policy impact: what changing a policy does to a population (``socialcredit policy diff``).

Both policy sets are run through the batch scorer over the same records; the outputs are
compared subject by subject (grades, list memberships, decisions) and broken down by subject
kind, region and sector, then written as CSV tables, PNG charts and a Markdown report.
"""

from socialcredit.batch.impact.run import ImpactOptions, ImpactResult, policy_impact

__all__ = ["ImpactOptions", "ImpactResult", "policy_impact"]
