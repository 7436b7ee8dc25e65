"""The hidden figure: link the records member organisations consented to share for this purpose,
then estimate how many cases were never documented (multiple systems estimation).

Identities cross organisations only sealed: each member seals its consented records to the
organisation that runs the analysis; that organisation's coordinator opens them in memory for
the run and for reviewing uncertain pairs. What is stored is clusters of record references and
estimates, never a name.
"""

import json

from django.db import transaction
from django.utils import timezone

from kuzot.accounts import crypto, purposes
from kuzot.accounts.models import Organisation, Role, User
from kuzot.accounts.vault import Keyring, organisation_private_key, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases.actions import consent_in_force
from kuzot.cases.models import CaseParty, Consent, Person
from kuzot.stats.models import LinkageContribution, LinkageRun, ReviewDecision


def consented_records(organisation: Organisation, keyring: Keyring) -> list[dict]:
    """Victims of the organisation's cases whose consent to matching is in force, in the
    contract of ``kuzot link`` (names decrypted in memory only)."""
    vault = keyring.vault(organisation.pk)
    context = sealed_context(Person, "full_name")
    records = []
    parties = (
        CaseParty.objects.filter(case__organisation=organisation, role=CaseParty.Role.VICTIM)
        .select_related("person", "case")
        .prefetch_related("case__allegations__region")
    )
    for party in parties:
        if not consent_in_force(party.case, Consent.Scope.LINKAGE):
            continue
        acts = sorted(party.case.allegations.all(), key=lambda a: a.date)
        first = acts[0] if acts else None
        records.append(
            {
                "record_id": f"{party.case_id}-{party.person_id}",
                "full_name": vault.open(party.person.full_name, context),
                "sex": party.person.sex if party.person.sex in ("M", "F") else "",
                "birth_year": party.person.birth_year or "",
                # Where it happened: the region's country, else the organisation's.
                "country": (first and first.region and first.region.country)
                or organisation.country,
                "region": first.region.code if first and first.region else "",
                "incident_date": first.date.isoformat() if first else "",
            }
        )
    return records


def contribute(actor: User, keyring: Keyring, recipient: Organisation) -> LinkageContribution:
    """Seal this organisation's consented records to the organisation that runs the analysis."""
    if not actor.is_coordinator:
        raise PermissionError("coordinators contribute records")
    if recipient.coalition_id != actor.organisation.coalition_id or recipient == actor.organisation:
        raise PermissionError("records go to another member of the coalition")
    records = consented_records(actor.organisation, keyring)
    sealed = crypto.seal_to(
        bytes(recipient.public_key),
        json.dumps(records).encode(),
        purposes.linkage(actor.organisation_id, recipient.pk),
    )
    with transaction.atomic():
        contribution, _ = LinkageContribution.objects.update_or_create(
            contributor=actor.organisation,
            recipient=recipient,
            defaults={"records": len(records), "sealed": sealed, "contributed_by": actor},
        )
        record(
            actor, Action.EXPORT, contribution, detail={"records": len(records), "to": recipient.pk}
        )
    return contribution


def reseal_contributions(sender, *, organisation: Organisation, reseal, **kwargs) -> None:
    """After a rotation, the records sealed to the organisation follow its new key pair."""
    received = LinkageContribution.objects.filter(recipient=organisation)
    for contribution in received.select_related("contributor"):
        aad = purposes.linkage(contribution.contributor_id, organisation.pk)
        contribution.sealed = reseal(bytes(contribution.sealed), aad)
        contribution.save(update_fields=["sealed"])


def gather(actor: User, keyring: Keyring) -> list[dict]:
    """Every record of the analysis: the organisation's own and each contribution, opened."""
    organisation = actor.organisation
    private_key = organisation_private_key(organisation, keyring.vault(organisation.pk))
    rows = [{**r, "source": organisation.slug} for r in consented_records(organisation, keyring)]
    for contribution in LinkageContribution.objects.filter(recipient=organisation).select_related(
        "contributor"
    ):
        opened = crypto.open_sealed(
            private_key,
            bytes(contribution.sealed),
            purposes.linkage(contribution.contributor_id, organisation.pk),
        )
        rows += [{**r, "source": contribution.contributor.slug} for r in json.loads(opened)]
    record(actor, Action.VIEW_IDENTITY, organisation, detail={"linkage_records": len(rows)})
    return rows


STRATA = ("country", "year")
# Fewer records give the matching nothing to learn from (one record divided by zero in it).
MIN_RECORDS = 2


def estimate_strata(clusters) -> dict:
    """Per country and year of the incident, the report ``kuzot estimate --clusters … --by
    country,year --method all`` prints on the same clusters written to a file
    (``kuzot.analysis.mse.report.estimate_clusters``): observed persons, lists, each method's
    estimate with its interval, warnings and convergence diagnostics, and the total over
    strata."""
    from kuzot.analysis.mse.histories import as_written
    from kuzot.analysis.mse.report import estimate_clusters

    return estimate_clusters(as_written(clusters), STRATA)


def run(actor: User, keyring: Keyring, *, threshold: float = 0.9) -> LinkageRun:
    """Link, cluster, estimate per country and year; store references and numbers only."""
    import pandas as pd

    from kuzot.analysis.linkage import Decision, LinkageError, link_records

    if actor.role != Role.COORDINATOR:
        raise PermissionError("coordinators run the analysis")
    rows = gather(actor, keyring)
    if len(rows) < MIN_RECORDS:
        raise ValueError(
            f"{len(rows)} record(s) consented for matching; at least {MIN_RECORDS} are needed"
        )
    decisions = [
        Decision(d.left, d.right, d.same)
        for d in ReviewDecision.objects.filter(organisation=actor.organisation)
    ]
    try:
        result = link_records(pd.DataFrame(rows), threshold=threshold, decisions=decisions)
    except (ArithmeticError, ValueError) as error:  # the matching's own numerics, raw
        raise LinkageError(
            f"the {len(rows)} records are too few or too alike for the matching to learn how "
            "names and dates agree; nothing was stored"
        ) from error
    clusters = result.clusters
    with transaction.atomic():
        linkage = LinkageRun.objects.create(
            organisation=actor.organisation,
            run_by=actor,
            clusters=clusters[["source", "record_id", "cluster_id"]].astype(str).values.tolist(),
            uncertain=[
                [p.left, p.right, round(float(p.match_probability), 3)]
                for p in result.uncertain_pairs.itertuples()
            ],
            estimates=estimate_strata(clusters),
        )
        record(actor, Action.CREATE, linkage, detail={"records": len(rows)})
    return linkage


def decide(actor: User, left: str, right: str, same: bool) -> ReviewDecision:
    if actor.role != Role.COORDINATOR:
        raise PermissionError("coordinators review pairs")
    left, right = sorted([left, right])
    decision, _ = ReviewDecision.objects.update_or_create(
        organisation=actor.organisation,
        left=left,
        right=right,
        defaults={"same": same, "decided_by": actor, "decided_at": timezone.now()},
    )
    record(actor, Action.UPDATE, decision, detail={"same": same})
    return decision
