"""The agent interface (issue 12, item 7): `citecheck mcp`, read-only tools over MCP.

tools.py holds what each tool does as plain functions returning JSON-ready data (testable
without the SDK); server.py wraps them in the official MCP Python SDK, imported only there,
so the default install stays light.
"""
