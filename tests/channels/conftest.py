"""Fixtures for comments received another way and meetings."""

import pytest


@pytest.fixture()
def official_publishes(db):
    from consult.reports.operations import publish_report

    def publish(consultation, actor):
        published = publish_report(consultation, actor)
        db.session.commit()
        return published

    return publish
