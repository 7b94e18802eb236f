// Creates a Stripe Checkout session for a cart; the cart id is the idempotency key.
const Stripe = require("stripe");

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY || "sk_test_fake", { timeout: 8000 });

exports.handler = async (event) => {
  const cart = JSON.parse(event.body);
  if (!cart.items || cart.items.length === 0) {
    return { statusCode: 400, body: JSON.stringify({ error: "empty cart" }) };
  }
  const session = await stripe.checkout.sessions.create(
    {
      mode: "payment",
      line_items: cart.items.map((item) => ({ price: item.priceId, quantity: item.quantity })),
      success_url: `${process.env.SITE_URL}/thanks?session={CHECKOUT_SESSION_ID}`,
      cancel_url: `${process.env.SITE_URL}/cart`,
      client_reference_id: cart.id,
    },
    { idempotencyKey: `checkout-${cart.id}` },
  );
  return { statusCode: 200, body: JSON.stringify({ url: session.url }) };
};
