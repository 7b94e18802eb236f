"""Enriches a batch of leads from two HTTP APIs concurrently with httpx.AsyncClient."""
import asyncio
import json
import os

import httpx

GEO_URL = os.environ.get("GEO_API_URL", "https://geo.example.com/v1/lookup")
COMPANY_URL = os.environ.get("COMPANY_API_URL", "https://companies.example.com/v2/domain")
TIMEOUT = httpx.Timeout(4.0, connect=2.0)


async def enrich(client: httpx.AsyncClient, lead: dict) -> dict:
    domain = lead["email"].split("@")[-1]
    geo, company = await asyncio.gather(
        client.get(GEO_URL, params={"ip": lead.get("ip", "")}),
        client.get(f"{COMPANY_URL}/{domain}"),
        return_exceptions=True,
    )
    out = dict(lead)
    if isinstance(geo, httpx.Response) and geo.is_success:
        out["country"] = geo.json().get("country")
    if isinstance(company, httpx.Response) and company.status_code == 200:
        out["company"] = company.json().get("name")
    return out


async def run(leads):
    headers = {"Authorization": f"Bearer {os.environ['ENRICH_TOKEN']}"}
    async with httpx.AsyncClient(timeout=TIMEOUT, headers=headers) as client:
        return await asyncio.gather(*(enrich(client, lead) for lead in leads))


def handler(event, context):
    leads = [json.loads(r["body"]) for r in event.get("Records", [])] or event.get("leads", [])
    enriched = asyncio.run(run(leads))
    return {"count": len(enriched), "leads": enriched}
