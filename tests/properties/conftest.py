"""Property tests: Hypothesis feeds odd input to every form, import and public address.

One settings profile for the package: no example database on disk (CI does not depend on a
.hypothesis directory) and derandomized, so a run is the same run everywhere. Each test bounds
its own max_examples to keep the package's runtime small.
"""

import pytest
from hypothesis import HealthCheck, settings

# function_scoped_fixture is suppressed knowingly: the `db` fixture and the objects built on it
# are set up once per test, and every example runs inside its own savepoint that is rolled back
# (helpers.rolled_back), so no example sees another's writes.
settings.register_profile(
    "infobus",
    database=None,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("infobus")


@pytest.fixture(autouse=True)
def _plain_static_names(settings):
    # Manifest storage needs collectstatic first; these tests are about input, not static names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
