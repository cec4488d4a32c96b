"""Where resume files live: an S3 bucket, or a local folder laid out exactly like one."""

from recur_desktop.storage.base import (
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    delete_owned,
    owns_key,
    resume_key,
    user_prefix,
)
from recur_desktop.storage.local import LocalObjectStore

_S3_NAMES = {"S3ObjectStore", "make_s3_client"}


def __getattr__(name: str) -> object:
    # boto3 costs a fifth of a second to import; the embedded profile never needs it.
    if name in _S3_NAMES:
        from recur_desktop.storage import s3

        return getattr(s3, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LocalObjectStore",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "S3ObjectStore",
    "StorageError",
    "delete_owned",
    "make_s3_client",
    "owns_key",
    "resume_key",
    "user_prefix",
]
