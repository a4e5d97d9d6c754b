"""`citecheck mcp`: the tools of tools.py served over stdio with the official MCP Python SDK.

The SDK (`pip install 'citecheck[mcp]'`) is imported here only, when the server is built.
Every tool is marked read-only; bad input comes back as the tool's one-line error, the same
line the CLI would print, never a traceback.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from citecheck import __version__
from citecheck.agent import tools
from citecheck.agent.tools import AgentOptions

SERVER_NAME = "citecheck"
INSTALL_HINT = "citecheck mcp needs the MCP SDK: pip install 'citecheck[mcp]'"
INSTRUCTIONS = (
    "citecheck checks the citation integrity of scientific manuscripts. Paths are read "
    "relative to the directory the server was started in. Nothing these tools do writes a "
    "file. Findings name a rule; explain_rule says what it checks and how to fix it."
)


class SdkMissing(ImportError):
    """The `mcp` extra is not installed; the message says how to install it."""


def build_server(options: AgentOptions) -> Any:
    """The MCP server with citecheck's four read-only tools registered."""
    server_class, annotations, tool_error = _sdk()
    named = {"instructions": INSTRUCTIONS, "log_level": "WARNING"}
    if "version" in inspect.signature(server_class).parameters:  # mcp 2 reports it to clients
        named["version"] = __version__
    server = server_class(SERVER_NAME, **named)
    local = annotations(
        read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
    )
    # Checks, lookups and claim evidence reach the metadata sources only with --online.
    sourced = annotations(
        read_only_hint=True,
        destructive_hint=False,
        idempotent_hint=True,
        open_world_hint=options.network.online,
    )
    guard = functools.partial(_guarded, options=options, tool_error=tool_error)

    @server.tool(annotations=sourced)
    def check_manuscript(
        path: str = "", text: str = "", refs: str = "", format: str = "json"
    ) -> dict[str, Any]:
        """Check a manuscript's citation integrity: callouts linked to the reference list,
        author mentions, reference completeness and metadata (offline from the lock unless the
        server runs with --online), claims against the cited works. Give `path` (.txt, .docx,
        .tex, .md/.Rmd/.qmd, JATS .xml, .pdf, .bib) or `text` (a pasted manuscript, or only a
        reference list: then no citation rules run). `refs`: a BibTeX list for the manuscript.
        `format`: json (default, the findings with rule, code, severity, message, location,
        suggestion) or markdown, text, sarif, junit, github (the rendered report)."""
        return guard(tools.check_manuscript, path=path, text=text, refs=refs, report_format=format)

    @server.tool(annotations=local)
    def explain_rule(rule: str) -> dict[str, Any]:
        """A rule's page, by slug (missing-reference) or code (CC101): what it checks, why it
        matters, an example and its correction, how to silence it."""
        return guard(lambda _options, rule: tools.explain_rule(rule), rule=rule)

    @server.tool(annotations=sourced)
    def lookup_reference(query: str) -> dict[str, Any]:
        """Resolve a DOI, PMID, PMCID, title or whole reference string to its record and
        return BibTeX built from the matched record (never from the query), naming the source.
        Offline the lock file answers; other works need the server started with --online.
        Verdicts: matched (with bibtex), ambiguous, not-found, lookup-failed, cannot-look-up."""
        return guard(tools.lookup_reference, query=query)

    @server.tool(annotations=sourced)
    def claim_evidence(path: str, claim_id: str = "", sentence: str = "") -> dict[str, Any]:
        """The evidence for one claim of a manuscript (a citing sentence), named by its id
        (c001... as check_manuscript lists them) or by the sentence itself: the sentence, and
        per cited work the support verdict (supported, contradicted, not-found,
        cannot-determine) with the quoted evidence sentence and where it comes from, plus each
        named gene, miRNA or pathway checked against the cited work."""
        return guard(tools.claim_evidence, path=path, claim_id=claim_id, sentence=sentence)

    return server


def serve(options: AgentOptions) -> None:
    """Serve over stdio until the client closes the connection."""
    build_server(options).run("stdio")


def _guarded(function, *, options: AgentOptions, tool_error, **arguments) -> dict[str, Any]:
    """Run a tool within the configured limits; bad input becomes the tool's error line."""
    from citecheck import limits
    from citecheck.errors import USER_ERRORS

    try:
        with limits.applied(options.config.limits):
            return function(options, **arguments)
    except (*USER_ERRORS, ValueError) as error:
        raise tool_error(" ".join(str(error).split())) from None
    except OSError as error:  # a path the file system refuses (too long, a symlink loop)
        if error.filename is None:
            raise
        reason = (error.strerror or str(error)).lower()
        raise tool_error(f"{error.filename}: {reason}") from None
    except (RecursionError, MemoryError) as error:
        kind = "nested too deeply" if isinstance(error, RecursionError) else "too large"
        raise tool_error(f"an input is {kind} to process") from None


def _sdk() -> tuple[type, type, type[Exception]]:
    """The SDK's server class, ToolAnnotations and ToolError (mcp 2's MCPServer, mcp 1's
    FastMCP); SdkMissing when the extra is not installed."""
    try:
        from mcp.types import ToolAnnotations
    except ImportError:
        raise SdkMissing(INSTALL_HINT) from None
    try:
        from mcp.server.mcpserver import MCPServer as server_class
        from mcp.server.mcpserver.exceptions import ToolError
    except ImportError:
        from mcp.server.fastmcp import FastMCP as server_class
        from mcp.server.fastmcp.exceptions import ToolError

    def annotations(**hints: bool):
        # mcp 2 names the fields in snake_case, mcp 1 as the protocol does (readOnlyHint).
        if "read_only_hint" in ToolAnnotations.model_fields:
            return ToolAnnotations(**hints)
        return ToolAnnotations(**{_camel(k): v for k, v in hints.items()})

    return server_class, annotations, ToolError


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
