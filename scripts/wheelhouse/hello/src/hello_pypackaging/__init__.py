"""Says hello."""

__version__ = "@VERSION@"


def hello(name="world"):
    return f"hello, {name}"
