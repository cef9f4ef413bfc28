"""The columnar scorer: the policy compiled to SQL over Parquet (DuckDB) or to Spark, the
registry's rescore and the policy impact report. Importing the package loads nothing."""
