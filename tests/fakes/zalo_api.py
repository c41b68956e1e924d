"""The fake Zalo servers in one import: the Bot API, and the OA API with OAuth and ZNS."""

from tests.fakes.zalo_bot_api import (
    IMAGE,
    SECRET_HEADER,
    STICKER,
    TEXT,
    UNSUPPORTED,
    BotCall,
    FakeZaloBotAPI,
    FakeZaloUser,
)
from tests.fakes.zalo_oa_api import (
    SIGNATURE_HEADER,
    FakeZaloOpenAPI,
    OpenCall,
    oa_event,
    post_raw,
    signature,
    signed_event,
)

__all__ = [
    "IMAGE",
    "SECRET_HEADER",
    "SIGNATURE_HEADER",
    "STICKER",
    "TEXT",
    "UNSUPPORTED",
    "BotCall",
    "FakeZaloBotAPI",
    "FakeZaloOpenAPI",
    "FakeZaloUser",
    "OpenCall",
    "oa_event",
    "post_raw",
    "signature",
    "signed_event",
]
