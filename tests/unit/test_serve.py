"""accountability-tui serve (issue 14): who is signed in, who gets in, what the page links, where it listens.

The sign-in guard is exercised over aiohttp's test client on the real server class and a real copy of the seeded
database; no app process is started here (tests/e2e/test_serve_browser.py opens tabs in a browser).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from accountability_tui.cli import main
from accountability_tui.domain.errors import UsageError
from accountability_tui.domain.roles import Role
from accountability_tui.serve import USER_ENV, BadName, Options, is_loopback, read_name, signed_in_name
from accountability_tui.serve.server import OfficeServer, Tab, app_command
from accountability_tui.services import Services
from accountability_tui.store import Store

HEADER = "X-Remote-User"


@pytest.mark.parametrize(("raw", "name"), [("alice", "alice"), ("  Siân  O'Brien ", "Siân O'Brien"),
                                           ("j.smith@herts.police.uk", "j.smith@herts.police.uk")])
def test_a_name_is_read_as_the_store_signs_it(raw, name):
    assert read_name(raw) == name


@pytest.mark.parametrize(("raw", "why"), [
    ("", "empty"), ("   ", "empty"), ("x" * 101, "at most 100"), ("ali\x00ce", "control"), ("ali\x1bce", "control"),
    ("ali\nce", "control"), ("ali\tce", "control"), ("ali\rce", "control"), ("ali\x7fce", "control"),
    ("ali\u202ece", "control"), ("ali\udcffce", "control")])
def test_what_is_not_a_name_is_refused(raw, why):
    with pytest.raises(BadName, match=why):
        read_name(raw)


def test_the_app_acts_as_the_name_serve_gives_it_else_the_os_user(monkeypatch):
    monkeypatch.delenv(USER_ENV, raising=False)
    assert signed_in_name() is None
    monkeypatch.setenv(USER_ENV, "  alice ")
    assert signed_in_name() == "alice"
    monkeypatch.setenv(USER_ENV, "al\x1bice")
    with pytest.raises(UsageError, match=f"\\${USER_ENV} is not a person's name"):
        signed_in_name()


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.3.2.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("LocalHost", True), ("0.0.0.0", False), ("::", False), ("10.1.2.3", False), ("example.org", False),
    ("", False)])
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(("options", "refusal"), [
    (Options(host="0.0.0.0"), "serve listens only on this computer .* unless --trust-header"),
    (Options(host="192.168.1.5", user="alice"), "not on 192.168.1.5"),
    (Options(trust_header=HEADER, user="alice"), "not both"),
    (Options(trust_header="X Remote User"), "the name of an HTTP header"),
    (Options(trust_header="X-Remote-User:"), "the name of an HTTP header"),
    (Options(user="al\nice"), "--user takes a person's name"),
    (Options(port=0), "--port takes a port number"),
])
def test_what_serve_refuses_to_serve(options, refusal):
    with pytest.raises(UsageError, match=refusal):
        options.checked()


def test_a_proxy_may_have_serve_listen_anywhere():
    assert Options(host="0.0.0.0", trust_header=HEADER).checked().host == "0.0.0.0"


@pytest.mark.parametrize("args", [["--host", "0.0.0.0"], ["--host", "10.0.0.2", "--user", "alice"],
                                  ["--user", "alice", "--trust-header", HEADER]])
def test_the_command_line_says_a_refusal_in_one_line(args, seeded_path, capsys):
    assert main(["serve", "--db", str(seeded_path), "--port", "1", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("accountability-tui: ")
    assert "Traceback" not in err


def test_each_tabs_app_runs_the_app_on_the_database_served(tmp_path):
    db = tmp_path / "a.db"
    argv = app_command(db, Options(read_only=True, as_of=dt.date(2026, 11, 22)))
    assert argv[1:] == ["-m", "accountability_tui", "--db", str(db), "--read-only", "--as-of", "2026-11-22"]


def test_a_tabs_process_has_its_persons_name_and_never_the_servers(monkeypatch):
    monkeypatch.setenv(USER_ENV, "whoever-started-serve")

    def environment(person: str | None) -> dict[str, str]:
        async def nothing(*_: object) -> None:
            return None

        tab = Tab(["app"], person, write_bytes=nothing, write_str=nothing, close=nothing, download_manager=None)
        return tab._build_environment(100, 30)

    assert environment("alice")[USER_ENV] == "alice"
    assert USER_ENV not in environment(None)  # the OS user, as at the terminal
    assert environment("alice")["TEXTUAL_DRIVER"].startswith("textual.drivers.web_driver")


# --- the guard in front of every request ----------------------------------------------------------------------


def add_people(path: Path, **roles: str) -> None:
    with closing(Services(Store.open(path))) as services:
        for name, role in roles.items():
            services.access.add(name, Role(role))


@asynccontextmanager
async def client(db: Path, **options: object) -> AsyncIterator[TestClient]:
    server = OfficeServer(Options(db=db, **options), db, ["true"])  # type: ignore[arg-type]
    async with TestClient(TestServer(await server._make_app())) as http:
        yield http


async def test_without_the_trusted_header_nothing_is_served(seeded_path):
    async with client(seeded_path, trust_header=HEADER) as http:
        for path in ("/", "/ws", "/static/js/textual.js", "/download/x"):
            response = await http.get(path)
            assert response.status == 401, path
            assert "the X-Remote-User header, which the office's sign-in proxy sets" in await response.text()
        assert (await http.get("/", headers={HEADER: "   "})).status == 401


async def test_a_header_that_is_not_a_name_is_a_bad_request(seeded_path):
    async with client(seeded_path, trust_header=HEADER) as http:
        for bad in ("x" * 101, "ali\u202ece", "a\u2066b"):
            response = await http.get("/", headers={HEADER: bad})
            assert response.status == 400, bad
            assert bad not in await response.text()  # not repeated back
        # the browser's own header and the proxy's (a proxy that adds it rather than setting it): whose is it?
        response = await http.get("/", headers=[(HEADER, "admin"), (HEADER, "alice")])
        assert response.status == 400 and "more than once" in await response.text()


async def test_while_the_list_is_empty_everyone_signed_in_gets_in(seeded_path):
    async with client(seeded_path, trust_header=HEADER) as http:
        response = await http.get("/", headers={HEADER: "anyone"})
        assert response.status == 200
        response = await http.get("/", headers={HEADER: "<b>eve</b>"})  # a name, shown as written, never as markup
        assert response.status == 200 and "signed in as &lt;b&gt;eve&lt;/b&gt;" in await response.text()


async def test_someone_not_on_the_list_is_told_how_an_admin_adds_them(seeded_path):
    add_people(seeded_path, alice="reader")
    async with client(seeded_path, trust_header=HEADER) as http:
        response = await http.get("/", headers={HEADER: "<b>mallory</b>"})
        assert response.status == 403
        page = await response.text()
        assert "&lt;b&gt;mallory&lt;/b&gt; is not on the list of people who may use this database" in page
        assert "accountability-tui user add &#x27;&lt;b&gt;mallory&lt;/b&gt;&#x27; --role reader" in page
        assert "<b>" not in page
        response = await http.get("/ws", headers={HEADER: "mallory"})
        assert response.status == 403
        assert (await http.get("/", headers={HEADER: "alice"})).status == 200  # a reader may look


async def test_the_page_links_nothing_outside_and_everything_it_names_is_served(seeded_path):
    add_people(seeded_path, alice="editor")
    async with client(seeded_path, trust_header=HEADER) as http:
        response = await http.get("/", headers={HEADER: "alice"})
        assert response.status == 200
        page = await response.text()
        assert not re.findall(r"(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page)
        assert "googleapis" not in page
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert "signed in as alice" in page
        named = re.findall(r'(?:href|src)="([^"]+)"|url\("([^"]+)"\)', page)
        assert {a or b for a, b in named} >= {"static/css/xterm.css", "static/js/textual.js",
                                              "static/fonts/RobotoMono-VariableFont_wght.ttf"}
        for a, b in named:
            served = await http.get("/" + (a or b), headers={HEADER: "alice"})
            assert served.status == 200, a or b


async def test_the_websocket_is_only_for_our_own_page(seeded_path):
    async with client(seeded_path, trust_header=HEADER) as http:
        response = await http.get("/ws", headers={HEADER: "alice", "Origin": "https://elsewhere.example"})
        assert response.status == 403
        assert "only for this server's own page" in await response.text()
        here = http.server.host, http.server.port
        other_port = await http.get("/ws", headers={HEADER: "alice", "Origin": f"http://{here[0]}:{here[1] + 1}"})
        assert other_port.status == 403  # another port of this host is another site (a dev server, a notebook)


async def test_one_fixed_person_on_loopback_answers_only_to_this_computers_names(seeded_path):
    async with client(seeded_path, user="alice") as http:
        response = await http.get("/")
        assert response.status == 200 and "signed in as alice" in await response.text()
        response = await http.get("/", headers={"Host": "attacker.example:8000"})  # DNS rebinding
        assert response.status == 403
        assert (await http.get("/", headers={"Host": "localhost:8000"})).status == 200


async def test_with_neither_it_is_the_os_user_as_at_the_terminal(seeded_path):
    add_people(seeded_path, alice="reader")
    async with client(seeded_path) as http:
        response = await http.get("/", headers={HEADER: "mallory"})  # no header is trusted: ignored
        assert response.status == 200 and "signed in as" not in await response.text()


def test_the_app_acts_as_the_person_serve_signed_in(seeded_path, monkeypatch):
    import getpass

    from accountability_tui.ui.app import AccountabilityApp

    seen: list[tuple[str, Role | None]] = []
    monkeypatch.setattr(AccountabilityApp, "run",
                        lambda self: seen.append((self.services.access.who, self.services.access.role())))
    monkeypatch.setenv(USER_ENV, " alice ")
    assert main(["--db", str(seeded_path)]) == 0
    monkeypatch.delenv(USER_ENV)
    assert main(["--db", str(seeded_path)]) == 0
    assert seen == [("alice", Role.ADMIN), (getpass.getuser(), Role.ADMIN)]  # the list is empty: everyone may
    add_people(seeded_path, alice="reader")
    monkeypatch.setenv(USER_ENV, "alice")
    assert main(["--db", str(seeded_path)]) == 0
    assert seen[-1] == ("alice", Role.READER)  # not the file's owner at the terminal: her own role


def test_serving_one_person_not_on_the_list_is_refused_at_once(seeded_path, capsys):
    add_people(seeded_path, alice="reader")
    assert main(["serve", "--db", str(seeded_path), "--user", "bob", "--port", "1"]) == 1
    err = capsys.readouterr().err
    assert "cannot serve bob: bob is not on the list of people who may use this database" in err
    assert err.count("\n") == 1 and "Traceback" not in err
