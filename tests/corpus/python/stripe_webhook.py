"""Stripe webhook receiver: verifies the signature, then creates a follow-up PaymentIntent."""
import json
import os

import stripe

stripe.api_key = os.environ.get("STRIPE_API_KEY", "sk_test_fake")
ENDPOINT_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_fake")


def handler(event, context):
    payload = event["body"]
    signature = event["headers"].get("stripe-signature", "")
    try:
        stripe_event = stripe.Webhook.construct_event(payload, signature, ENDPOINT_SECRET)
    except ValueError:
        return {"statusCode": 400, "body": "invalid payload"}
    except stripe.error.SignatureVerificationError:
        return {"statusCode": 400, "body": "invalid signature"}

    if stripe_event["type"] == "invoice.payment_failed":
        invoice = stripe_event["data"]["object"]
        stripe.PaymentIntent.create(
            amount=invoice["amount_due"],
            currency=invoice["currency"],
            customer=invoice["customer"],
            metadata={"retry_of": invoice["id"]},
            idempotency_key=f"retry-{stripe_event['id']}",
        )
    elif stripe_event["type"] == "charge.refunded":
        print(json.dumps({"refund": stripe_event["data"]["object"]["id"]}))

    return {"statusCode": 200, "body": json.dumps({"received": True})}
