"""The web server behind `accountability-tui serve`: textual-serve's, with the sign-in in front of it.

textual-serve (its Server and AppService) starts one app process per websocket, that is per browser tab, and
relays the terminal between the two. What is ours:
- one guard (`_guard`, an aiohttp middleware) in front of every request: who is signed in (the trusted header,
  or --user), that they are on the list of people (page and websocket, before an app process starts), that the
  websocket comes from our own page (Origin), and, serving without a proxy, that the Host is this computer's;
- the tab's app process (`Tab`) runs `python -m accountability_tui --db PATH` directly (no shell), with the
  signed-in name in its environment (USER_ENV) and nothing else of ours;
- our page (templates/app_index.html) links nothing outside: textual-serve's own fetches a Google web font,
  which an office network may block; ours uses the font textual-serve bundles, and says so in its CSP.
"""

from __future__ import annotations

import asyncio
import errno
import html
import logging
import sys
from collections.abc import Awaitable, Callable
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from accountability_tui.domain.errors import AppError, NotAllowed
from accountability_tui.domain.roles import Role
from accountability_tui.serve import USER_ENV, BadName, Options, is_loopback, read_name
from accountability_tui.services.database import open_services

log = logging.getLogger("accountability-tui.serve")

TEMPLATES = Path(__file__).parent / "templates"
PERSON = web.RequestKey[str | None]("person")  # the request's signed-in name (None: the OS user)
# Our page may use only what this server serves (and its websocket): the browser itself refuses anything else.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                               "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
                               "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
                               "base-uri 'none'; form-action 'none'",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
REFUSED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>accountability-tui: not on the list</title></head>
<body style="font-family: sans-serif; max-width: 42em; margin: 3em auto; line-height: 1.5">
<h1>Not on the list of people</h1>
<p>{message}</p>
<p>Ask an admin of this database to add you; then reload this page.</p>
</body></html>
"""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def refusal(path: Path, name: str) -> str | None:
    """Why this person may not use the database (one sentence, saying how an admin adds them), else None."""
    with closing(open_services(path, create=False, readonly=True, acting_as=name)) as services:
        try:
            services.access.require(Role.READER, "use this database")
        except NotAllowed as exc:
            return str(exc)
    return None


def _hostname(netloc: str) -> str:
    return (urlsplit(f"//{netloc}").hostname or "").lower()


def _site(netloc: str) -> tuple[str, int | None]:
    """A host and its port as written (80 and 443, the defaults, as no port), to compare an Origin with the Host."""
    try:
        port = urlsplit(f"//{netloc}").port
    except ValueError:
        port = -1
    return _hostname(netloc), None if port in (80, 443) else port


class Tab(AppService):
    """One browser tab's app process: the app itself, run directly (no shell), acting as the signed-in person."""

    def __init__(self, argv: list[str], person: str | None, **kwargs: object) -> None:
        super().__init__(" ".join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = argv
        self.person = person

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.pop(USER_ENV, None)  # never the server's own: this tab's person, or the OS user
        if self.person is not None:
            environment[USER_ENV] = self.person
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width=width, height=height))
        self._stdin = process.stdin
        return process


class OfficeServer(Server):
    """textual-serve's server, with the sign-in in front of every request and our own page."""

    def __init__(self, options: Options, db_path: Path, argv: list[str]) -> None:
        super().__init__(" ".join(argv), host=options.host, port=options.port, title="accountability-tui",
                         templates_path=TEMPLATES)
        self.options = options
        self.db_path = db_path
        self.argv = argv
        self.sockets: set[web.WebSocketResponse] = set()

    # --- who is signed in ---------------------------------------------------------------------------------------

    def person(self, request: web.Request) -> str | None:
        """The signed-in name: from the trusted header (401 without it, 400 if it is not a name), or --user, or
        None (the OS user)."""
        header = self.options.trust_header
        if header is None:
            return None if self.options.user is None else read_name(self.options.user)
        values = request.headers.getall(header, [])
        if len(values) > 1:  # the browser's own and the proxy's: a proxy that adds rather than sets the header
            raise web.HTTPBadRequest(text=f"The {header} header is given more than once; the office's proxy must "
                                          f"set it, replacing any the browser sent.\n")
        raw = values[0] if values else None
        if raw is None or not raw.strip():
            raise web.HTTPUnauthorized(
                text=f"Not signed in: this server takes the person's name from the {header} header, which the "
                     f"office's sign-in proxy sets. Open it through the proxy.\n")
        try:
            return read_name(raw)
        except BadName as exc:
            raise web.HTTPBadRequest(text=f"The {header} header does not hold a person's name: {exc}.\n") from None

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.options.trust_header is None and not is_loopback(_hostname(request.host)):
            # served without a proxy: only to this computer's own addresses (a page elsewhere whose name is made
            # to point here, DNS rebinding, gets nothing)
            raise web.HTTPForbidden(text="This server answers only to this computer's own addresses.\n")
        person = self.person(request)
        if request.path == "/ws":
            origin = request.headers.get("Origin")
            if origin is not None and _site(urlsplit(origin).netloc) != _site(request.host):
                # another site's page opening our websocket with the person's sign-in (browsers let it); another
                # port of this host is another site too (a dev server, a notebook)
                raise web.HTTPForbidden(text="The websocket is only for this server's own page.\n")
        if person is not None and request.path in ("/", "/ws"):  # signing in: before any app process starts
            try:
                refused = await asyncio.to_thread(refusal, self.db_path, person)
            except AppError as exc:
                raise web.HTTPServiceUnavailable(text=f"The database cannot be opened: {exc}\n") from None
            if refused is not None:
                log.warning("refused %s: not on the list of people", person)
                if request.path == "/":
                    return web.Response(status=403, content_type="text/html", headers=PAGE_HEADERS,
                                        text=REFUSED_PAGE.format(message=html.escape(refused)))
                raise web.HTTPForbidden(text=f"{refused}\n")
        request[PERSON] = person
        return await handler(request)

    # --- the page, the websocket ---------------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self._index, name="index"),
            web.get("/ws", self._websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, name="static"),
        ])
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def _index(self, request: web.Request) -> web.StreamResponse:
        person = request[PERSON]
        if person is not None:
            log.info("%s signed in", person)
        font_size = min(max(to_int(request.query.get("fontsize", "16"), 16), 8), 40)
        response = aiohttp_jinja2.render_template("app_index.html", request, {
            "font_size": font_size, "title": f"accountability-tui · {self.db_path.name}", "person": person})
        response.headers.update(PAGE_HEADERS)
        return response

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: its own app process for as long as its websocket is open."""
        person = request[PERSON]
        websocket = web.WebSocketResponse(heartbeat=15)
        width = min(max(to_int(request.query.get("width", "80"), 80), 20), 500)
        height = min(max(to_int(request.query.get("height", "24"), 24), 8), 200)
        tab: Tab | None = None
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            tab = Tab(self.argv, person, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                      close=websocket.close, download_manager=self.download_manager)
            log.info("%s opened a tab", person or "the OS user")
            await tab.start(width, height)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one tab's trouble is logged; the server and every other tab go on
            log.exception(error)
        finally:
            self.sockets.discard(websocket)
            if tab is not None:
                await tab.stop()
        return websocket

    def listening(self, _: str = "") -> None:
        """Said once the port is open (aiohttp's run_app calls it then)."""
        signing = (f"the person named by the {self.options.trust_header} header" if self.options.trust_header
                   else self.options.user or "the OS user (the file's owner may do everything)")
        host = f"[{self.options.host}]" if ":" in self.options.host else self.options.host
        log.info("serving %s on http://%s:%s/ to %s; Ctrl+C stops", self.db_path, host, self.options.port, signing)

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab (its app process quits), rather than waiting for people to close them."""
        for websocket in list(self.sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"the server is stopping")

    def serve(self, debug: bool = False) -> None:
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
        try:
            web.run_app(self._make_app(), host=self.options.host, port=self.options.port, print=self.listening,
                        access_log=None, shutdown_timeout=10)
        except OSError as exc:
            why = ("it is in use (another serve? --port chooses another)" if exc.errno == errno.EADDRINUSE
                   else exc.strerror or str(exc))
            raise AppError(f"cannot listen on {self.options.host} port {self.options.port}: {why}") from None


def app_command(db_path: Path, options: Options) -> list[str]:
    """The app, as each tab's process runs it: this Python, on the database served."""
    argv = [sys.executable, "-m", "accountability_tui", "--db", str(db_path)]
    if options.read_only:
        argv.append("--read-only")
    if options.as_of is not None:
        argv += ["--as-of", options.as_of.isoformat()]
    return argv


def serve(options: Options, *, say: Callable[[str], None]) -> int:
    """Open (for the default file: create) the database as the app does, say what is served, then serve."""
    with closing(open_services(options.db, create=not options.read_only, readonly=options.read_only)) as services:
        db_path = services.path.resolve()
        for warning in services.warnings:
            say(f"accountability-tui: warning: {warning}")
        empty = not services.access.people()
    if options.user and not empty:  # the one person served is on the list, or serve says so now, not per page
        refused = refusal(db_path, options.user)
        if refused is not None:
            raise NotAllowed(f"cannot serve {options.user}: {refused}")
    if empty and (options.trust_header or options.user):
        say("accountability-tui: note: no one is on the list of people, so everyone signed in may do everything; "
            "add people with: accountability-tui user add NAME --role reader|editor|approver|admin")
    OfficeServer(options, db_path, app_command(db_path, options)).serve()
    return 0
