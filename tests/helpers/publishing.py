"""A publisher that dies between sending and recording: the crash the scheduler must survive."""

from __future__ import annotations

from veille.publish.publisher import ConnectorPublisher, JobRequest
from veille.sources.base import PublishedPost


class Killed(BaseException):
    """Stands for the process being killed: nothing after it runs, nothing catches it."""


class DiesAfterSending:
    """Publishes for real, then dies before the scheduler can record the result."""

    def __init__(self, inner: ConnectorPublisher, die_on: set[int]) -> None:
        self.inner, self.die_on = inner, die_on

    def publish(self, request: JobRequest) -> PublishedPost:
        post = self.inner.publish(request)
        if request.job_id in self.die_on:
            self.die_on.discard(request.job_id)
            raise Killed()
        return post
