"""Factories for the people and filings tests need; traits give common shapes."""

from __future__ import annotations

import factory

from accounts.models import Organisation, OrganisationKind, Role, User

PASSWORD = "Test-Password-2026"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_zh = factory.Sequence(lambda n: f"测试发行人{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Issuer {n} Ltd")
    kind = OrganisationKind.ISSUER

    class Params:
        regulator = factory.Trait(
            kind=OrganisationKind.REGULATOR, name_zh="中国证监会（测试）", name_en="CSRC (test)"
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    role = Role.PREPARER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 — factory-boy's hook signature
        if create:
            obj.save()
