"""One long-lived LibreOffice, driven through UNO; started by `opp_docs.pdf.pool`, never imported.

This file runs as a script under a Python that has LibreOffice's `uno` module (on Debian the
system Python with python3-uno), which is usually not the Python of opp-docs itself. It uses the
standard library only.

    python3 lo_script.py SOFFICE PROFILE_DIR PARENT_PID

It starts `soffice` with its own profile, connects over a named pipe and then reads one job per
line on stdin, as JSON: {"source": …, "target": …, "ext": "pdf", "filter": null, "pdfa": false,
"filter_data": {…}} (the export filter's options, e.g. ExportBookmarksToPDFDestination).
It answers each with one line: {"ok": true} or {"ok": false, "error": "…"}. The first line it
writes is {"ready": true} once LibreOffice accepts work. End of input stops LibreOffice. The
worker is a process-group leader: soffice runs in its group, so whoever kills the group kills
LibreOffice too, and a watchdog kills the group when the parent process disappears.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

CONNECT_TIMEOUT = 60.0
# The start with the allocator preloaded gets a third of the time the parent waits (a first
# start builds the profile, some seconds); a start without it then still fits in the rest.
ALLOCATOR_CONNECT_TIMEOUT = 20.0

# Export filter per target extension and document type (the service the model supports).
FILTERS = {
    "pdf": {
        "com.sun.star.text.TextDocument": "writer_pdf_Export",
        "com.sun.star.sheet.SpreadsheetDocument": "calc_pdf_Export",
        "com.sun.star.presentation.PresentationDocument": "impress_pdf_Export",
        "com.sun.star.drawing.DrawingDocument": "draw_pdf_Export",
    },
    "xlsx": {"com.sun.star.sheet.SpreadsheetDocument": "Calc MS Excel 2007 XML"},
    "ods": {"com.sun.star.sheet.SpreadsheetDocument": "calc8"},
    "docx": {"com.sun.star.text.TextDocument": "MS Word 2007 XML"},
    "odt": {"com.sun.star.text.TextDocument": "writer8"},
}
# Import filters that spare LibreOffice its type detection for the common case.
IMPORT_FILTERS = {".docx": "MS Word 2007 XML"}
# FilterData "SelectPdfVersion": 2 is PDF/A-2b.
PDFA_2B = 2
# LibreOffice spends about a seventh of its time converting our documents in glibc's malloc and
# free (measured with perf); with jemalloc preloaded it needs some 11% less CPU for the same
# PDF. Debian's libjemalloc2 (installed with LibreOffice by tools/install-libreoffice.sh); when
# it is missing, or LibreOffice does not start with it, LibreOffice runs as it is.
ALLOCATORS = (
    "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
    "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
    "/usr/lib64/libjemalloc.so.2",
)


class JobError(Exception):
    """Raised when one document cannot be converted; LibreOffice itself is still fine."""


def main(argv: list[str]) -> int:
    soffice, profile, parent = argv[1], Path(argv[2]), int(argv[3])
    _watch_parent(parent)
    try:
        return _serve(soffice, profile)
    finally:
        # However this ends (also by an exception), no LibreOffice of ours stays behind.
        _kill_group()


def _serve(soffice: str, profile: Path) -> int:
    allocator = next((path for path in ALLOCATORS if os.path.isfile(path)), None)
    try:
        desktop, process = _start(soffice, profile, allocator)
    except Exception as e:
        if allocator is None:
            _send({"ready": False, "error": f"{type(e).__name__}: {e}"})
            return 1
        print(f"LibreOffice start niet met {allocator}: {e}; opnieuw zonder", file=sys.stderr)
        # Whatever of the first start still runs (soffice.bin below its launcher) goes.
        _kill_group_but_me()
        try:
            # A profile of its own: a LibreOffice left of the first try cannot take this one.
            desktop, process = _start(soffice, profile.with_name(f"{profile.name}-2"), None)
        except Exception as e:
            _send({"ready": False, "error": f"{type(e).__name__}: {e}"})
            return 1
    _send({"ready": True})
    for line in sys.stdin:
        job = json.loads(line)
        try:
            _convert(desktop, job)
        except JobError as e:
            _send({"ok": False, "error": str(e)})
        else:
            _send({"ok": True})
    _stop(desktop, process)
    return 0


def _start(
    soffice: str, profile: Path, allocator: str | None
) -> tuple[Any, subprocess.Popen[bytes]]:
    """Start LibreOffice (with `allocator` preloaded) and connect to it."""
    pipe = f"opp-docs-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    if allocator is not None:
        env["LD_PRELOAD"] = " ".join(filter(None, [allocator, env.get("LD_PRELOAD")]))
    process = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    timeout = CONNECT_TIMEOUT if allocator is None else ALLOCATOR_CONNECT_TIMEOUT
    try:
        return _connect(pipe, process, timeout), process
    except BaseException:
        with contextlib.suppress(OSError):
            process.kill()
        process.wait()
        raise


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _connect(pipe: str, process: subprocess.Popen[bytes], timeout: float) -> Any:
    import uno  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if process.poll() is not None:
                raise RuntimeError(f"soffice stopte met code {process.returncode}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def _props(**values: Any) -> tuple[Any, ...]:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def _convert(desktop: Any, job: dict[str, Any]) -> None:
    import uno

    source, target = Path(job["source"]), Path(job["target"])
    load: dict[str, Any] = {
        "Hidden": True,
        "ReadOnly": True,
        "UpdateDocMode": 0,
        "MacroExecutionMode": 0,
    }
    if source.suffix.lower() in IMPORT_FILTERS:
        load["FilterName"] = IMPORT_FILTERS[source.suffix.lower()]
    # A window per document: reusing one is a little faster, but LibreOffice then keeps
    # about a megabyte of every document it showed.
    try:
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(str(source)), "_blank", 0, _props(**load)
        )
    except Exception as e:
        _reraise_bridge_failure(e)
        raise JobError("kon het bestand niet openen (beschadigd of geen geldig document?)") from e
    if doc is None:
        raise JobError("kon het bestand niet openen (beschadigd of geen geldig document?)")
    try:
        store: dict[str, Any] = {"FilterName": job.get("filter") or _export_filter(doc, job)}
        options = dict(job.get("filter_data") or {})
        if job.get("pdfa"):
            options["SelectPdfVersion"] = PDFA_2B
        if options:
            filter_data = _props(**options)
            store["FilterData"] = uno.Any("[]com.sun.star.beans.PropertyValue", filter_data)
        try:
            doc.storeToURL(uno.systemPathToFileUrl(str(target)), _props(**store))
        except Exception as e:
            _reraise_bridge_failure(e)
            raise JobError("kon het bestand openen maar niet omzetten") from e
    finally:
        try:
            doc.close(True)
        except Exception as e:
            _reraise_bridge_failure(e)


def _export_filter(doc: Any, job: dict[str, Any]) -> str:
    for service, name in FILTERS.get(job["ext"], {}).items():
        if doc.supportsService(service):
            return name
    raise JobError(f"dit soort document kan niet naar .{job['ext']} worden omgezet")


def _reraise_bridge_failure(e: Exception) -> None:
    """LibreOffice died or the connection broke: this worker ends, the parent replaces it."""
    if type(e).__name__ in ("DisposedException", "RuntimeException"):
        raise e


def _stop(desktop: Any, process: subprocess.Popen[bytes]) -> None:
    # It stops either way: the group kill in main is the backstop.
    with contextlib.suppress(Exception):
        desktop.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _kill_group() -> None:
    os.killpg(0, signal.SIGKILL)


def _kill_group_but_me() -> None:
    """Kill the other processes of this worker's group: a LibreOffice that did not start."""
    me, group = os.getpid(), os.getpgid(0)
    with contextlib.suppress(OSError):  # no /proc: the group kill at the end remains
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != me:
                with contextlib.suppress(OSError):
                    if os.getpgid(int(entry)) == group:
                        os.kill(int(entry), signal.SIGKILL)


def _watch_parent(parent: int) -> None:
    """When opp-docs (process `parent`) is killed (kill -9, a closed terminal), take LibreOffice
    down with us; also when that happened before this script even got going."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        _kill_group()

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
