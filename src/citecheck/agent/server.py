"""`citecheck mcp`: the tools of tools.py, the rule catalogue and pages as resources, and two
prompts, served over stdio with the official MCP Python SDK.

The SDK (`pip install 'citecheck[mcp]'`) is imported here only, when the server is built.
Every tool is marked read-only; bad input comes back as the tool's one-line error, the same
line the CLI would print, never a traceback.
"""

from __future__ import annotations

import functools
import inspect
import json
from typing import Any

from citecheck import __version__
from citecheck.agent import tools
from citecheck.agent.tools import AgentOptions

SERVER_NAME = "citecheck"
INSTALL_HINT = "citecheck mcp needs the MCP SDK: pip install 'citecheck[mcp]'"
INSTRUCTIONS = (
    "citecheck checks the citation integrity of scientific manuscripts. Paths are read "
    "relative to the directory the server was started in. Nothing these tools do writes a "
    "file. Findings name a rule; explain_rule (or the resource citecheck://rules/<rule>) says "
    "what it checks and how to fix it; citecheck://rules lists every rule. propose_bib_fixes "
    "previews `citecheck bib --fix` without writing."
)


class SdkMissing(ImportError):
    """The `mcp` extra is not installed; the message says how to install it."""


def build_server(options: AgentOptions) -> Any:
    """The MCP server with citecheck's read-only tools, resources and prompts registered."""
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

    @server.tool(annotations=local)
    def propose_bib_fixes(refs: str = "", level: str = "safe") -> dict[str, Any]:
        """What `citecheck bib --fix --diff` would change in a BibTeX file (default: the
        project's refs/references.bib), from the records the lock matched; writes nothing.
        `level` safe (default: only identifiers, which cannot change which work is cited) or
        all (also authors, title, year, journal, volume, issue, pages). Returns `changes`
        (key, field, original, corrected, source) and the unified `diff`."""
        return guard(tools.propose_bib_fixes, refs=refs, level=level)

    _resources(server, functools.partial(_guarded, options=options, tool_error=_resource_error()))
    _prompts(server)
    return server


def _resources(server: Any, guard) -> None:
    """Read-only resources: the rule catalogue and each rule's page (also by code, through
    the template; an unknown rule is the read's error, naming the nearest rule)."""

    @server.resource(
        tools.RULES_URI,
        name="rules",
        title="citecheck rules",
        description="Every rule: slug, code, default severity, area, one-line description "
        "and the URI of its page.",
        mime_type="application/json",
    )
    def rules() -> str:
        return json.dumps(tools.rule_catalogue(), ensure_ascii=False, indent=2)

    from citecheck.rules import RULES

    for rule in RULES:
        server.resource(
            f"{tools.RULES_URI}/{rule.slug}",
            name=rule.slug,
            title=f"{rule.code} {rule.slug}",
            description=rule.description,
            mime_type="text/markdown",
        )(_page_reader(rule.slug))

    @server.resource(
        tools.RULES_URI + "/{rule}",
        name="rule-page",
        title="A citecheck rule's page",
        description="A rule's page by slug or code (citecheck://rules/CC101): what it checks, "
        "why it matters, an example and its correction, how to silence it.",
        mime_type="text/markdown",
    )
    def rule_page(rule: str) -> str:
        return guard(lambda _options, rule: tools.rule_page(rule), rule=rule)


def _page_reader(slug: str):
    def read() -> str:
        return tools.rule_page(slug)

    read.__name__ = f"rule_page_{slug.replace('-', '_')}"
    return read


def _prompts(server: Any) -> None:
    """Prompts that ask the model to use the tools and resources above."""

    @server.prompt(
        name="review-citations",
        title="Review a manuscript's citations",
        description="Check a manuscript with check_manuscript and explain each finding with "
        "its rule page.",
    )
    def review_citations(path: str) -> str:
        return REVIEW_PROMPT.format(path=path)

    @server.prompt(
        name="fix-bibliography",
        title="Propose safe fixes to a BibTeX file",
        description="Preview bib --fix with propose_bib_fixes and propose the safe changes.",
    )
    def fix_bibliography(refs: str = "") -> str:
        target = f"the BibTeX file {refs}" if refs else "the project's refs/references.bib"
        return FIX_PROMPT.format(target=target, refs=json.dumps(refs))


REVIEW_PROMPT = """Review the citations of the manuscript at {path}.

1. Call the citecheck tool check_manuscript with path "{path}" (format json).
2. For each finding, most severe first (error, then warning, then info): say where it is
   (location), what is wrong in plain words, quoting the finding's message, expected and found
   values as given (never guess a reference's details), and the suggested correction. Read the
   rule's page (the resource citecheck://rules/<rule>, or the tool explain_rule) and say in one
   sentence why the rule matters.
3. Findings that share a cause (the same reference or the same missing numbers) may be
   explained together.
4. For claims whose support is contradicted or not found, call claim_evidence with the claim
   id and quote the evidence sentence it returns.
5. End with a short list of the corrections to make, in order of importance. Do not edit any
   file: citecheck's tools are read-only; say which changes the author should make.
"""

FIX_PROMPT = """Propose corrections for {target}.

1. Call the citecheck tool propose_bib_fixes with refs {refs} and level "safe". It writes
   nothing; it returns the changes the matched records give and a unified diff.
2. List each change (entry key, field, original, corrected, source). Safe changes only add a
   missing DOI, PMID or PMCID or reduce an identifier written as a link or with a prefix to
   the identifier: they cannot change which work is cited. Propose them as they are.
3. If you also want to see what level "all" would change (authors, title, year, journal,
   volume, issue, pages), call it again with level "all" and present those changes separately
   as ones for the author to check against the cited work, not to apply blindly.
4. Show the safe diff, and say that `citecheck bib --fix --in-place --refs FILE` (keeps a .bak)
   or `citecheck bib --fix -o FIXED.bib` applies it. Do not claim any file was changed.
"""


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


def _resource_error() -> type[Exception]:
    """The SDK's error for a resource that cannot be read: its message reaches the client."""
    try:
        from mcp.server.mcpserver.exceptions import ResourceNotFoundError as error
    except ImportError:
        from mcp.server.fastmcp.exceptions import ResourceError as error
    return error


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
