"""Turn what `journeys validate` prints on stderr into annotations of a CI platform.

    journeys validate 2> problems.txt; python3 annotate.py github|gitlab < problems.txt

github: one workflow command a problem on stdout, `::error file=P,line=L,col=C::message`.
gitlab: a Code Quality report on stdout, a JSON list for `artifacts:reports:codequality`.
Both: the problems are echoed to stderr for the log; exit status 1 if there was any, else 0.
A line that is not `path:line:column: message` (a wrong mkdocs.yml) goes on mkdocs.yml, line 1.
The CI files in ci/ carry a verbatim copy of this file; tests/test_ci_definitions.py checks it.
"""

import hashlib
import json
import re
import sys

PROBLEM = re.compile(r"(.+?):(\d+):(\d+): (.*)")


def escape(text: str, value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if value else text


def github(path: str, line: str, column: str, message: str) -> str:
    return f"::error file={escape(path, True)},line={line},col={column}::{escape(message)}"


def gitlab(path: str, line: str, column: str, message: str) -> dict[str, object]:
    problem = f"{path}:{line}:{column}: {message}"
    return {"description": message, "check_name": "journeys validate",
            "fingerprint": hashlib.sha256(problem.encode()).hexdigest(), "severity": "major",
            "location": {"path": path, "lines": {"begin": int(line)}}}


def main(mode: str) -> int:
    if mode not in ("github", "gitlab"):
        print("usage: annotate.py github|gitlab < problems.txt", file=sys.stderr)
        return 2
    lines = sys.stdin.buffer.read().decode("utf-8", "replace").splitlines()
    texts = [text for text in lines if text.strip()]
    sys.stderr.buffer.write("".join(text + "\n" for text in texts).encode())
    sys.stderr.flush()
    problems = []
    for text in texts:
        found = PROBLEM.fullmatch(text)
        problems.append(found.groups() if found else ("mkdocs.yml", "1", "1", text))
    if mode == "github":
        out = "".join(github(*problem) + "\n" for problem in problems)
    else:
        out = json.dumps([gitlab(*problem) for problem in problems], indent=2) + "\n"
    sys.stdout.buffer.write(out.encode())
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) == 2 else ""))
