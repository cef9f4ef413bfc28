"""Storage: the tables, the migrations and a backend object per database (SQLite,
PostgreSQL) behind one protocol (:mod:`.backend`)."""
