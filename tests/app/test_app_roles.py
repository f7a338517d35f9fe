"""Roles in the app (issue 14, item 3): a reader is told what they may do when the app opens, and a change they try
is refused through the services whatever the screen — one line saying who may, and nothing written."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from accountability_tui.domain.models import FindingStatus
from accountability_tui.domain.roles import Role
from accountability_tui.services import Services
from accountability_tui.services.database import open_services
from accountability_tui.store import Store

from apphelp import choose, make_app, wait_for, wait_screen


async def test_a_reader_is_told_and_their_change_refused_with_nothing_written(seeded_path: Path) -> None:
    with closing(Services(Store.open(seeded_path))) as owner:
        owner.access.add("rita", Role.READER)
    before = seeded_path.read_bytes()
    app = make_app(seeded_path, services=open_services(seeded_path, create=False, acting_as="rita"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: any("rita, you are a reader here" in m for _, m in app.told), "told")
        assert app.sub_title.startswith("rita · reader · ")
        await pilot.press("3")
        screen = await wait_screen(pilot, "findings")
        await wait_for(pilot, lambda: screen.selected is not None, "a finding")
        await pilot.press("t")
        picker = await wait_screen(pilot, "PickerScreen")
        await choose(pilot, picker, FindingStatus.IN_PROGRESS)
        refusal = "only an editor, approver or admin may make changes; you (rita) are a reader"
        await wait_for(pilot, lambda: any(refusal in m for m in app.reported), "the refusal")
        assert any(severity == "error" and refusal in m for severity, m in app.told)
    with Store.open(seeded_path) as store:
        assert all(h["who"] != "rita" for f in store.findings.list() for h in store.findings.history(f.id))
    assert seeded_path.read_bytes() == before


async def test_someone_not_on_the_list_is_told_they_can_only_look(seeded_path: Path) -> None:
    with closing(Services(Store.open(seeded_path))) as owner:
        owner.access.add("alice", Role.EDITOR)
    app = make_app(seeded_path, services=open_services(seeded_path, create=False, acting_as="mallory"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: any("mallory is not on the list" in m for _, m in app.told), "told")
        assert app.sub_title.startswith("mallory · not on the list · ")
