"""``socialcredit audit``: verify the hash chain, anchor it outside the database, prove an
entry's inclusion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stderr, stdout
from socialcredit.cli.registry_common import DbOpt, opened, progress_bar
from socialcredit.registry.anchor import AnchorStore, verify_anchored, write_checkpoint
from socialcredit.registry.anchorkeys import generate_key, load_private_key, load_public_key
from socialcredit.registry.anchorproofs import prove
from socialcredit.registry.audit import verify

app = typer.Typer(help="The audit log's hash chain and its anchors.", no_args_is_help=True)

AnchorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--anchors",
        envvar="SOCIALCREDIT_ANCHOR_DIR",
        help="Directory of signed checkpoints, outside the database.",
    ),
]
KeyOpt = Annotated[
    Path,
    typer.Option(
        "--key", envvar="SOCIALCREDIT_ANCHOR_KEY", help="Ed25519 private key (PEM) that signs."
    ),
]
PublicKeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        envvar="SOCIALCREDIT_ANCHOR_PUBLIC_KEY",
        help="Ed25519 public key (PEM) that checks the checkpoints.",
    ),
]


def _fail(message: str) -> None:
    stderr().print(message, style="bold red", markup=False)
    raise typer.Exit(EXIT_REFUSED)


@app.command("verify")
def verify_command(
    db: DbOpt = None, anchors: AnchorsOpt = None, public_key: PublicKeyOpt = None
) -> None:
    """Recompute every entry's hash; with --anchors, also check the chain against every signed
    checkpoint. Exit 1 at the first problem."""
    if (anchors is None) != (public_key is None):
        _fail("--anchors and --public-key go together")
    with (
        reported_errors(),
        opened(db) as registry,
        registry.session() as session,
        progress_bar("verifying", None) as advance,
    ):
        report = verify(session, advance)
        anchored = None
        if report.ok and anchors is not None and public_key is not None:
            anchored = verify_anchored(session, AnchorStore(anchors), load_public_key(public_key))
    if not report.ok:
        _fail(
            f"audit chain broken at entry {report.broken_at}: {report.reason} "
            f"({report.checked} entries before it are intact)"
        )
    if anchored is not None and not anchored.ok:
        _fail(f"audit chain does not match its anchors: {anchored.problem}")
    suffix = "" if anchored is None else f", matching {anchored.checkpoints} signed checkpoints"
    stdout().print(f"audit chain intact: {report.checked} entries{suffix}", markup=False)


@app.command("keygen")
def keygen_command(
    out: Annotated[Path, typer.Option("--out", help="Where to write the private key.")],
) -> None:
    """Create an Ed25519 key pair for checkpoints: the private key (mode 0600) at --out and
    the public key beside it (OUT.pub). Keep both away from the database's host."""
    with reported_errors():
        public = generate_key(out)
    stdout().print(f"private key: {out}\npublic key:  {public}", markup=False)


@app.command("checkpoint")
def checkpoint_command(key: KeyOpt, db: DbOpt = None, anchors: AnchorsOpt = None) -> None:
    """Sign the chain's current head and Merkle root and append the checkpoint to --anchors
    (run it periodically, for example from cron or a systemd timer)."""
    if anchors is None:
        _fail("--anchors (or $SOCIALCREDIT_ANCHOR_DIR) is required")
        return
    with reported_errors(), opened(db) as registry, registry.session() as session:
        point = write_checkpoint(session, AnchorStore(anchors), load_private_key(key))
    stdout().print(
        f"checkpoint: {point.tree_size} entries, head {point.chain_head[:16]}…, "
        f"Merkle root {point.merkle_root[:16]}…",
        markup=False,
    )


@app.command("prove")
def prove_command(
    seq: Annotated[int, typer.Argument(help="The audit entry's sequence number.")],
    db: DbOpt = None,
    anchors: AnchorsOpt = None,
) -> None:
    """Print, as JSON, the Merkle inclusion proof of an audit entry in the first signed
    checkpoint that covers it (RFC 9162 audit path)."""
    if anchors is None:
        _fail("--anchors (or $SOCIALCREDIT_ANCHOR_DIR) is required")
        return
    with reported_errors(), opened(db) as registry, registry.session() as session:
        proof = prove(session, AnchorStore(anchors), seq)
    stdout().print(json.dumps(proof.as_dict(), indent=2), markup=False)
