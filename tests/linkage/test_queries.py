import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.core.codes import with_check_digit
from jichitai.linkage.models import LinkageProfile, NumberSystem
from jichitai.linkage.queries import evidence, ordinance_findings, proficiency_findings
from jichitai.orgs.models import Municipality, Staff
from jichitai.processes.models import Ordinance, Process
from tests.linkage.conftest import make_item


def today():
    """Read at each use, not at import: a run may cross midnight in Asia/Tokyo (15:00 UTC)."""
    return timezone.localdate()


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_evidence_follows_items_created_by_the_day(process, municipality, ordinance):
    other = Process.objects.create(municipality=municipality, name="未着手の事務")
    done = Process.objects.create(municipality=municipality, name="完了の事務")
    make_item(process, "住民票関係情報", created_at=_at(today() - dt.timedelta(days=10)))
    make_item(process, "生活保護関係情報", channel="intra_office", counterpart_kind="same_body_organ",
              created_at=_at(today() - dt.timedelta(days=2)))
    make_item(done, "地方税関係情報", created_at=_at(today() - dt.timedelta(days=2)))
    make_item(done, "就学援助関係情報", channel="intra_office", counterpart_kind="same_body_organ", legal_basis="",
              ordinance=ordinance, created_at=_at(today() - dt.timedelta(days=2)))
    ids = [process.pk, other.pk, done.pk]
    assert evidence(ids, today()) == {process.pk: "started", other.pk: "not_started", done.pk: "done"}
    # Before the intra-office item was recorded, the process's only item was complete.
    earlier = today() - dt.timedelta(days=5)
    assert evidence(ids, earlier) == {process.pk: "done", other.pk: "not_started", done.pk: "not_started"}
    # As a subquery (the association's comparison passes one), processes without items are left out.
    assert evidence(Process.objects.filter(municipality=municipality).values("id"), today()) == {
        process.pk: "started", done.pk: "done"}


def test_evidence_reads_the_ordinance_in_force_on_the_day(process, municipality):
    later = Ordinance.objects.create(municipality=municipality, name="番号条例", article="第6条",
                                     effective_on=today() + dt.timedelta(days=30))
    make_item(process, "生活保護関係情報", channel="intra_office", counterpart_kind="same_body_organ", ordinance=later,
              created_at=_at(today() - dt.timedelta(days=1)))
    assert evidence([process.pk], today()) == {process.pk: "started"}
    assert evidence([process.pk], today() + dt.timedelta(days=30)) == {process.pk: "done"}


def test_ordinance_findings(process, municipality, other_municipality, ordinance):
    later = Ordinance.objects.create(municipality=municipality, name="番号条例", article="第6条",
                                     effective_on=today() + dt.timedelta(days=30))
    intra = make_item(process, "生活保護関係情報", channel="intra_office", counterpart_kind="same_body_organ",
                      counterpart="教育委員会")
    make_item(process, "就学援助関係情報", channel="intra_office", counterpart_kind="same_body_organ", ordinance=ordinance)
    pending = make_item(process, "障害者関係情報", counterpart_kind="same_body_organ", ordinance=later)
    make_item(process, "根拠なし", legal_basis="")  # a missing basis is not an ordinance matter
    unbased = Process.objects.create(municipality=municipality, name="ひとり親家庭等医療費助成事務")
    package = NumberSystem.objects.create(municipality=municipality, name="福祉総合システム")
    package.processes.set([unbased, process])
    NumberSystem.objects.create(municipality=municipality, name="帳票システム", stores_numbers=False).processes.set(
        [unbased])
    foreign = Process.objects.create(municipality=other_municipality, name="よその事務")
    make_item(foreign, "よその庁内連携", channel="intra_office", counterpart_kind="same_body_organ")

    findings = ordinance_findings([municipality.pk], today())
    assert [(f.kind, f.object_id) for f in findings] == [
        ("intra_office_without_ordinance", intra.pk), ("ordinance_not_in_force", pending.pk),
        ("system_without_basis", package.pk)]
    assert "生活保護関係情報" in findings[0].message and "第19条第11号" in findings[0].message
    assert "番号条例 第6条" in findings[1].message
    assert "ひとり親家庭等医療費助成事務" in findings[2].message
    assert findings[0].url == f"/m/{municipality.code}/processes/{process.pk}/linkage/"
    assert findings[2].url == f"/m/{municipality.code}/systems/"
    assert {f.municipality_id for f in findings} == {municipality.pk}
    # Once the ordinance is in force, only the first and the system remain.
    assert [f.kind for f in ordinance_findings([municipality.pk], today() + dt.timedelta(days=30))] == [
        "intra_office_without_ordinance", "system_without_basis"]
    both = ordinance_findings(Municipality.objects.values("id"), today())
    # Linkage items first (by municipality code), then systems.
    assert [f.municipality_id for f in both] == [municipality.pk, municipality.pk, other_municipality.pk,
                                                 municipality.pk]


def test_proficiency_findings(process, municipality):
    checker = Staff.objects.create(municipality=municipality, staff_number="S1", name="佐藤 花子", role="handler")
    partial = Process.objects.create(municipality=municipality, name="介護保険事務")
    complete = Process.objects.create(municipality=municipality, name="国民健康保険事務")
    Process.objects.create(municipality=municipality, name="連携のない事務")
    for p in (process, partial, complete):
        make_item(p, created_at=_at(today() - dt.timedelta(days=3)))
    LinkageProfile.objects.create(process=partial, consistency_checker=checker, trouble_procedure="手順")
    LinkageProfile.objects.create(process=complete, consistency_checker=checker, trouble_procedure="手順",
                                  wrong_data_procedure="手順")
    findings = proficiency_findings([municipality.pk], today())
    assert [(f.object_name, f.kind) for f in findings] == [
        ("介護保険事務", "missing_wrong_data_procedure"),
        ("児童手当事務", "missing_checker"), ("児童手当事務", "missing_trouble_procedure"),
        ("児童手当事務", "missing_wrong_data_procedure")]
    assert "整合性確認担当者" in findings[1].message
    assert proficiency_findings([municipality.pk], today() - dt.timedelta(days=4)) == []


def _member(index: int, processes: int):
    member = Municipality.objects.create(code=with_check_digit(f"99{301 + index * 2:03d}"), name=f"団体{index}")
    ordinance = Ordinance.objects.create(municipality=member, name="番号条例", article="第5条",
                                         effective_on=today() + dt.timedelta(days=1))
    for p in range(processes):
        process = Process.objects.create(municipality=member, name=f"事務{p}")
        make_item(process, "庁内", channel="intra_office", counterpart_kind="same_body_organ")
        make_item(process, "条例", channel="intra_office", counterpart_kind="same_body_organ", ordinance=ordinance)
        NumberSystem.objects.create(municipality=member, name=f"システム{p}").processes.set([process])
    return member


def test_checklist_queries_run_a_fixed_number_of_queries(db):
    counts = {}
    for size, members in ((1, 1), (2, 4)):
        ids = [_member(size * 10 + i, processes=size * 3).pk for i in range(members)]
        process_ids = list(Process.objects.filter(municipality_id__in=ids).values_list("id", flat=True))
        with CaptureQueriesContext(connection) as queries:
            statuses = evidence(process_ids, today())
            findings = ordinance_findings(ids, today()) + proficiency_findings(ids, today())
        counts[size] = len(queries)
        assert set(statuses.values()) == {"started"}
        assert len(findings) == members * size * 3 * (3 + 3)  # 3 ordinance findings + 3 proficiency per process
    assert counts[1] == counts[2] == 4, counts
