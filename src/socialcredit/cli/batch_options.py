"""Command-line options shared by the commands that run the batch scorer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

RecordsOpt = Annotated[
    Path, typer.Option("--records", "-r", help="Directory of record Parquet files.")
]
AsOfOpt = Annotated[
    datetime, typer.Option("--as-of", formats=["%Y-%m-%d"], help="Assessment date.")
]
MemoryLimitOpt = Annotated[
    str, typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 3GB.")
]
