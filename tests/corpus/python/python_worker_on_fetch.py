"""Legacy Python Worker (on_fetch syntax): looks up a user in D1 and greets them."""
from js import Response, URL

PLANS = {"free": "Free", "pro": "Pro", "team": "Team"}


def plain(text, status=200):
    return Response.new(text, status=status, headers={"content-type": "text/plain; charset=utf-8"})


async def on_fetch(request, env):
    url = URL.new(request.url)
    user_id = url.searchParams.get("user")
    if not user_id:
        return plain("pass ?user=", status=400)

    stmt = env.DB.prepare("SELECT id, name, plan FROM users WHERE id = ?").bind(user_id)
    row = await stmt.first()
    if row is None:
        return plain("unknown user", status=404)
    plan = PLANS.get(row.plan, row.plan)
    return plain(f"hello {row.name}, you are on the {plan} plan (colo {request.cf.colo})")
