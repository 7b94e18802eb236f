// Contact form API with middy: JSON body parsing, validation, error handling, CORS.
import middy from "@middy/core";
import httpJsonBodyParser from "@middy/http-json-body-parser";
import httpErrorHandler from "@middy/http-error-handler";
import httpCors from "@middy/http-cors";
import validator from "@middy/validator";
import { transpileSchema } from "@middy/validator/transpile";
import createError from "http-errors";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";

const ses = new SESv2Client({});

const schema = {
  type: "object",
  required: ["body"],
  properties: {
    body: {
      type: "object",
      required: ["email", "message"],
      properties: {
        email: { type: "string", format: "email" },
        message: { type: "string", minLength: 5, maxLength: 5000 },
      },
    },
  },
};

const contact = async (event) => {
  const { email, message } = event.body;
  if (message.includes("http://")) {
    throw createError(422, "links are not allowed");
  }
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: process.env.FROM_ADDRESS,
      Destination: { ToAddresses: [process.env.SUPPORT_ADDRESS] },
      ReplyToAddresses: [email],
      Content: { Simple: { Subject: { Data: "Contact form" }, Body: { Text: { Data: message } } } },
    }),
  );
  return { statusCode: 204 };
};

export const handler = middy(contact)
  .use(httpJsonBodyParser())
  .use(validator({ eventSchema: transpileSchema(schema) }))
  .use(httpCors({ origin: process.env.SITE_ORIGIN }))
  .use(httpErrorHandler());
