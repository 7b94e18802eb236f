"""Scheduled probe: checks a list of endpoints with aiohttp and reports to CloudWatch."""
import asyncio
import os
import time

import aiohttp
import boto3

cloudwatch = boto3.client("cloudwatch")
TARGETS = [u for u in os.environ.get("PROBE_URLS", "").split() if u]


async def probe(session, url):
    started = time.perf_counter()
    try:
        async with session.get(url, allow_redirects=False) as resp:
            await resp.read()
            ok = resp.status < 500
    except (aiohttp.ClientError, asyncio.TimeoutError):
        ok = False
    return url, ok, (time.perf_counter() - started) * 1000


async def probe_all():
    timeout = aiohttp.ClientTimeout(total=8)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        return await asyncio.gather(*(probe(session, url) for url in TARGETS))


def handler(event, context):
    results = asyncio.run(probe_all())
    cloudwatch.put_metric_data(
        Namespace="Probes",
        MetricData=[
            {"MetricName": "Latency", "Dimensions": [{"Name": "Url", "Value": url}], "Value": ms, "Unit": "Milliseconds"}
            for url, _ok, ms in results
        ]
        + [
            {"MetricName": "Up", "Dimensions": [{"Name": "Url", "Value": url}], "Value": 1.0 if ok else 0.0}
            for url, ok, _ms in results
        ],
    )
    return {"down": [url for url, ok, _ in results if not ok]}
