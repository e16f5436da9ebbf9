import pytest

from torkeras import naming


@pytest.fixture(autouse=True)
def fresh_names():
    """Each test sees auto-names from scratch (`dense`, `dense_1`, ...)."""
    naming.reset_uids()
    yield
