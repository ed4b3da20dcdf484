"""Post the journey changes on a GitLab merge request as one note, updated on every push.

    python3 gitlab_note.py comment.md

Needs JOURNEYS_DIFF_TOKEN (an access token, role Reporter, scope `api`) and what GitLab sets in
a merge request pipeline: CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, CI_COMMIT_SHA. The
note to update is the token user's own note that starts with the report's first line; other
notes are never touched. When the merge request has a newer commit than this pipeline's, a
newer pipeline writes the note: this one leaves it. Exit status 0 when the note was written or
left to a newer pipeline, 2 on usage, 3 when GitLab refused or could not be reached.
The GitLab CI file in ci/ carries a verbatim copy of this file; tests/test_ci_definitions.py
checks it.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

MARKER = "<!-- journeys-diff -->"  # the first line of every `journeys diff` report


def call(method: str, path: str, body: str | None = None) -> tuple[object, Message]:
    """One request to GitLab's API: the decoded answer and its headers (any case)."""
    data = None if body is None else urllib.parse.urlencode({"body": body}).encode()
    request = urllib.request.Request(
        os.environ["CI_API_V4_URL"].rstrip("/") + path, data=data, method=method,
        headers={"PRIVATE-TOKEN": os.environ["JOURNEYS_DIFF_TOKEN"]})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read().decode()), answer.headers


def own_note(notes_path: str, user: object) -> object:
    """The id of the token user's note with the report, or None; page by page, oldest first
    (the newest come first by default, and every push adds a note of its own)."""
    page = "1"
    while page:
        notes, headers = call("GET", f"{notes_path}?sort=asc&order_by=created_at&per_page=100"
                                     f"&page={page}")
        for note in notes if isinstance(notes, list) else []:
            if note["author"]["id"] == user and note["body"].startswith(MARKER):
                return note["id"]
        page = headers.get("X-Next-Page", "")
    return None


def main(arguments: list[str]) -> int:
    names = ("CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID", "CI_COMMIT_SHA",
             "JOURNEYS_DIFF_TOKEN")
    missing = [name for name in names if not os.environ.get(name)]
    if len(arguments) != 1 or missing:
        print(f"usage: gitlab_note.py comment.md, with {', '.join(missing or names)} set",
              file=sys.stderr)
        return 2
    with open(arguments[0], encoding="utf-8") as file:
        body = file.read()
    project = urllib.parse.quote(os.environ["CI_PROJECT_ID"], safe="")
    request_path = f"/projects/{project}/merge_requests/{os.environ['CI_MERGE_REQUEST_IID']}"
    notes_path = f"{request_path}/notes"
    # In a merged results pipeline, CI_COMMIT_SHA is the merge GitLab made; the branch's commit
    # is the source branch's.
    commit = os.environ.get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA") or os.environ["CI_COMMIT_SHA"]
    try:
        merge_request, _ = call("GET", request_path)
        newest = merge_request.get("sha") if isinstance(merge_request, dict) else None
        if newest and newest != commit:
            print(f"journeys diff: the merge request is at {newest[:8]} now, newer than this "
                  "pipeline's commit: the pipeline of that commit writes the note")
            return 0
        me, _ = call("GET", "/user")
        note = own_note(notes_path, me["id"] if isinstance(me, dict) else None)
        if note is None:
            call("POST", notes_path, body)
            print("journeys diff: added the note to the merge request")
        else:
            call("PUT", f"{notes_path}/{note}", body)
            print(f"journeys diff: updated note {note} of the merge request")
    except urllib.error.HTTPError as error:
        print(f"journeys diff: GitLab answered {error.code} {error.reason} to {error.url}; "
              "JOURNEYS_DIFF_TOKEN needs the role Reporter and the scope api", file=sys.stderr)
        return 3
    except urllib.error.URLError as error:
        print(f"journeys diff: cannot reach GitLab: {error.reason}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
