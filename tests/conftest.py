import pytest
from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult

from reports.management.commands.load_real_data import load_all
from strategy.models import Membership, Organisation
from reporting.roles import ensure_groups
from tests import reporting
from tests.seeds import SEEDS, seeds_present

# Browser fixtures are registered here, once: a session-scoped browser imported
# into two test modules would start Playwright twice.
from .browser_support import browser, load_real_data, open_page  # noqa: F401,E402


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real data once per session; each test runs in a transaction on top of it."""
    with django_db_blocker.unblock():
        load_all()
        ensure_groups()
        # Each test runs the jobs it causes itself (tests/worker.py); loading queues the 2024 edition's PDF.
        DBTaskResult.objects.all().delete()


@pytest.fixture(autouse=True)
def swedish_after_each_test():
    """A request activates its language in the thread (config.locale): the next test starts in Swedish."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Every test starts with no cached pages (they live in a process-wide cache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def empty_download_store(settings, tmp_path):
    """Every test starts with no stored downloads (reports.downloads), in a directory of its own."""
    settings.DOWNLOAD_CACHE_DIR = str(tmp_path / "downloads")


def runs_on_committed_data(item):
    """Browser tests (a live server) and other tests whose data another process must see (two gunicorn servers)."""
    marker = item.get_closest_marker("django_db")
    return item.get_closest_marker("browser") is not None or bool(marker and marker.kwargs.get("transaction"))


def pytest_collection_modifyitems(config, items):
    # They commit their data and flush the database afterwards, removing the real data loaded once
    # per session for the others: run them last.
    items.sort(key=runs_on_committed_data)


@pytest.fixture
def make_user(db):
    def make(username, organisation_slug, role):
        coordinator, reporter = ensure_groups()
        user = get_user_model().objects.create_user(username=username, password="pw-for-tests", is_staff=True)
        user.groups.set([coordinator if role == "samordnare" else reporter])
        Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation_slug))
        return user

    return make


@pytest.fixture
def round_2025(db):
    """The 2025 round, open (tests.reporting.open_round)."""
    return reporting.open_round()


@pytest.fixture
def kv_reporter(make_user):
    """Kriminalvården's reporter: its indicators are its own to report (workspace.tasks), not a data source's."""
    return make_user("rapportor-kv", "kriminalvarden", "rapportor")


@pytest.fixture
def coordinator(make_user):
    return make_user("samordnare-test", "lansstyrelsen", "samordnare")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


SEEDS_MISSING = (
    f"THE SOURCE DOCUMENTS ARE MISSING ({SEEDS}): the fidelity tests (tests/test_strict_fidelity.py) "
    "were skipped, so nothing checked the fixtures against the sources. Set REQUIRE_SEEDS=1 to make this fail (CI does)."
)


def pytest_report_header(config):
    return None if seeds_present() else SEEDS_MISSING


def pytest_terminal_summary(terminalreporter):
    # Said last, where a green run's summary is read: a skip alone is easy to miss.
    if not seeds_present():
        terminalreporter.write_sep("!", "SOURCE DOCUMENTS MISSING", red=True, bold=True)
        terminalreporter.write_line(SEEDS_MISSING, red=True, bold=True)
