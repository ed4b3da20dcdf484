"""A stand-in for GitHub's `gh api`, for running the workflow's comment step on a machine without
GitHub: the comments of one pull request in a JSON file, the subset of `gh api` the step calls,
and `--jq` evaluated by jq itself (the `jq` package), as gh evaluates it, page by page.

    FAKE_GH_STATE=state.json python3 fake_gh.py api [--method M] PATH [--paginate]
        [--jq EXPR] [-F body=@FILE] [--silent]

state.json: {"login": the token's user, "page_size": N, "comments": [{id, user: {login}, body}],
"fail_listing": true to answer the listing with a server error};
every call is appended to its "calls". What the step must not do (another user's comment, a
missing token, an unknown route) exits 1 with a message, as gh does on an HTTP error.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import jq  # type: ignore[import-untyped]


def fail(message: str) -> int:
    print(f"gh: {message}", file=sys.stderr)
    return 1


def main(arguments: list[str]) -> int:
    if arguments[:1] != ["api"]:
        return fail(f"unknown command {arguments[:1]}")
    state_path = Path(os.environ["FAKE_GH_STATE"])
    state: dict[str, Any] = json.loads(state_path.read_text(encoding="utf-8"))
    state.setdefault("calls", []).append(arguments[1:])
    method, path, paginate, expression, fields = "GET", "", False, None, {}
    words = iter(arguments[1:])
    for word in words:
        if word == "--method":
            method = next(words)
        elif word == "--paginate":
            paginate = True
        elif word == "--jq":
            expression = next(words)
        elif word == "-F":
            name, value = next(words).split("=", 1)
            fields[name] = (Path(value[1:]).read_text(encoding="utf-8")
                            if value.startswith("@") else value)
        elif word == "--silent":
            pass
        elif not path and not word.startswith("-"):
            path = word
        else:
            return fail(f"unknown flag {word}")
    try:
        if not os.environ.get("GH_TOKEN"):
            return fail("HTTP 401: Requires authentication")
        if not re.fullmatch(r"repos/[\w.-]+/[\w.-]+/.*", path) or \
                not path.startswith(f"repos/{os.environ['GH_REPO']}/"):
            return fail(f"HTTP 404: Not Found ({path})")
        pages = route(state, method, path, fields)
        if len(pages) > 1 and not paginate:
            pages = pages[:1]
        out = []
        for page in pages:
            if expression is None:
                out.append(json.dumps(page))
            else:  # gh prints strings raw, other values as JSON, one a line
                out += [value if isinstance(value, str) else json.dumps(value)
                        for value in jq.compile(expression).input_value(page).all()]
        if "--silent" not in arguments:
            print("\n".join(out))
        return 0
    finally:
        state_path.write_text(json.dumps(state, indent=1), encoding="utf-8")


def route(state: dict[str, Any], method: str, path: str,
          fields: dict[str, str]) -> list[Any]:
    """The answer of GitHub's REST API to one request, in pages."""
    comments: list[dict[str, Any]] = state["comments"]
    listing = re.fullmatch(r"repos/[^/]+/[^/]+/issues/(\d+)/comments", path)
    single = re.fullmatch(r"repos/[^/]+/[^/]+/issues/comments/(\d+)", path)
    if listing and method == "GET" and state.get("fail_listing"):
        raise SystemExit(fail("HTTP 502: Server Error"))
    if listing and method == "GET":
        size = state.get("page_size", 30)
        return [comments[i:i + size] for i in range(0, len(comments), size)] or [[]]
    if listing and method == "POST":
        comment = {"id": max([100, *(c["id"] for c in comments)]) + 1,
                   "user": {"login": state["login"]}, "body": fields["body"]}
        comments.append(comment)
        return [comment]
    if single and method == "PATCH":
        comment = next((c for c in comments if c["id"] == int(single.group(1))), None)
        if comment is None:
            raise SystemExit(fail("HTTP 404: Not Found"))
        if comment["user"]["login"] != state["login"]:
            raise SystemExit(fail("HTTP 403: Resource not accessible by integration"))
        comment["body"] = fields["body"]
        return [comment]
    raise SystemExit(fail(f"HTTP 404: no route {method} {path}"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
