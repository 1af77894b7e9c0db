#!/usr/bin/env python
"""Known-vulnerability check of the locked dependencies (pip-audit), as run by `make test`.

Audits requirements.lock (exact versions and hashes, nothing installed) against the
vulnerability data PyPI publishes, retrying when the network fails. Exits 1 when any locked
package has a known vulnerability. Packages the service could not answer for (offline, or a
mirror without PyPI's per-version API) are listed and counted; they fail the run only with
AUDIT_STRICT=1, so an unreachable service is reported loudly but does not block work.

    .venv/bin/python scripts/audit_dependencies.py [requirements.lock]
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ATTEMPTS = 3


def run_pip_audit(lock):
    command = [
        sys.executable, "-m", "pip_audit", "--require-hashes", "--disable-pip", "--progress-spinner", "off",
        "--format", "json", "--timeout", "30", "--requirement", str(lock),
    ]
    for attempt in range(1, ATTEMPTS + 1):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        try:
            return json.loads(result.stdout)
        except ValueError:
            print(f"pip-audit forsøk {attempt}/{ATTEMPTS} feilet: {result.stderr.strip().splitlines()[-1:]}")
            if attempt < ATTEMPTS:
                time.sleep(5 * attempt)
    return None


def main():
    lock = Path(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")
    strict = os.environ.get("AUDIT_STRICT", "").lower() in {"1", "true", "yes"}
    report = run_pip_audit(lock)
    if report is None:
        print("Sårbarhetskontrollen kunne ikke kjøres (pip-audit svarte ikke).")
        return 1 if strict else 0
    vulnerable, audited, skipped = [], 0, []
    for dependency in report["dependencies"]:
        if "skip_reason" in dependency:
            skipped.append(dependency["name"])
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "ingen rettet versjon ennå"
            vulnerable.append(f"{dependency['name']} {dependency['version']}: {vuln['id']} (rettet i {fixed})")
    for line in vulnerable:
        print(f"SÅRBAR: {line}")
    if skipped:
        print(f"ADVARSEL: {len(skipped)} pakker kunne ikke kontrolleres (tjenesten svarte ikke for dem): "
              + ", ".join(skipped[:10]) + (" …" if len(skipped) > 10 else ""))
    print(f"{audited} pakker kontrollert, {len(vulnerable)} kjente sårbarheter, {len(skipped)} ikke kontrollert.")
    if vulnerable:
        return 1
    return 1 if strict and skipped else 0


if __name__ == "__main__":
    sys.exit(main())
