"""Extract, check and compile the UI translations: one gettext catalogue per app.

python scripts/messages.py            update every app's .po files and compile them
python scripts/messages.py --check    fail if a string is missing from a catalogue or untranslated
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "municipia"
TARGET_LANGUAGES = ["es", "fr", "ca", "pt"]  # English is the source language


def apps_with_strings() -> list[Path]:
    return sorted(p.parent for p in PACKAGE.glob("*/apps.py"))


def _django(args: list[str], cwd: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "municipia.settings.test",
    }
    subprocess.run([sys.executable, "-m", "municipia", *args], cwd=cwd, env=env, check=True)


def extract(app: Path) -> None:
    (app / "locale").mkdir(exist_ok=True)
    languages = [arg for code in TARGET_LANGUAGES for arg in ("-l", code)]
    _django(["makemessages", *languages, "--no-obsolete", "--no-location", "-v", "0"], app)
    _django(
        ["makemessages", "-d", "djangojs", *languages, "--no-obsolete", "--no-location", "-v", "0"],
        app,
    )


def compile_all() -> None:
    ignored = [arg for path in (".venv", "var", "node_modules") for arg in ("--ignore", path)]
    _django(["compilemessages", "-v", "0", *ignored], ROOT)


def _text(value):
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, str) or value is None else tuple(_text(v) for v in value)


def _translations(catalog) -> dict:
    return {
        (_text(m.context), _text(m.id)): _text(m.string)
        for m in catalog
        if m.id and m.string and not m.fuzzy
    }


def _compiled(mo_path: Path) -> dict:
    """The .mo file's messages, compared by content: file times mean nothing in a fresh clone."""
    with mo_path.open("rb") as handle:
        catalog = read_mo(handle)
    return _translations(catalog)


def problems(app: Path) -> list[str]:
    found = []
    for po_path in sorted((app / "locale").glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:
                continue
            strings = (
                message.string if isinstance(message.string, tuple | list) else [message.string]
            )
            if message.fuzzy or not all(strings):
                found.append(f"{po_path.relative_to(ROOT)}: untranslated {message.id!r}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or _translations(catalog) != _compiled(mo_path):
            found.append(f"{mo_path.relative_to(ROOT)}: not compiled (run make messages)")
    return found


def check() -> int:
    """Extract into a scratch copy so the check never touches the working tree."""
    found = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "municipia"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        for app in apps_with_strings():
            scratch_app = copy / app.name
            extract(scratch_app)
            for po in (scratch_app / "locale").glob("*/LC_MESSAGES/*.po"):
                with po.open("rb") as handle:
                    for message in read_po(handle):
                        strings = (
                            message.string
                            if isinstance(message.string, tuple | list)
                            else [message.string]
                        )
                        if message.id and (message.fuzzy or not all(strings)):
                            found.append(
                                f"{app.name}/{po.relative_to(scratch_app)}: untranslated {message.id!r}"
                            )
    for app in apps_with_strings():
        found.extend(p for p in problems(app) if "not compiled" in p)
    for line in found:
        print(line)
    print(f"{len(found)} translation problem(s)")
    return 1 if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        return check()
    for app in apps_with_strings():
        extract(app)
    compile_all()
    remaining = [p for app in apps_with_strings() for p in problems(app)]
    for line in remaining:
        print(line)
    print(f"catalogues updated; {len(remaining)} string(s) still to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
