"""Where resume files live: an S3 bucket, or a local folder laid out exactly like one."""

from recur_desktop.storage.base import (
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    resume_key,
    user_prefix,
)
from recur_desktop.storage.local import LocalObjectStore
from recur_desktop.storage.s3 import S3ObjectStore, make_s3_client

__all__ = [
    "LocalObjectStore",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "S3ObjectStore",
    "StorageError",
    "make_s3_client",
    "resume_key",
    "user_prefix",
]
