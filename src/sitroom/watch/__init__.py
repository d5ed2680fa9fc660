"""`sitroom watch`: follow sources, ingest what is new, alert on what changed.

load_config(path) -> WatchConfig(sources, subscriptions, extractor)
DocumentProcessor(store, extractor, delta, engine).handle(item) -> alerts
Watcher(store, sources, processor).run(duration=None); .stop()
"""

from sitroom.watch.config import WatchConfig, load_config
from sitroom.watch.scheduler import DocumentProcessor, Watcher
from sitroom.watch.sources import (
    ChannelInfo,
    FeedSource,
    FolderSource,
    LiveMessage,
    PageSource,
    Poll,
    Source,
    SourceError,
    TelegramClient,
    TelegramExportSource,
    TelegramLiveSource,
)

__all__ = [
    "ChannelInfo",
    "DocumentProcessor",
    "FeedSource",
    "FolderSource",
    "LiveMessage",
    "PageSource",
    "Poll",
    "Source",
    "SourceError",
    "TelegramClient",
    "TelegramExportSource",
    "TelegramLiveSource",
    "WatchConfig",
    "Watcher",
    "load_config",
]
