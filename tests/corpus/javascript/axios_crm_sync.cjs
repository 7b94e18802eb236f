// SQS -> CRM upsert with a shared axios instance (timeout set on the instance).
const axios = require("axios");

const crm = axios.create({
  baseURL: process.env.CRM_BASE_URL || "https://crm.example.com/api/v3",
  timeout: 4000,
  headers: { Authorization: `Token ${process.env.CRM_TOKEN}` },
});

const upsertContact = async (contact) => {
  const { data } = await crm.put(`/contacts/${encodeURIComponent(contact.email)}`, {
    first_name: contact.firstName,
    last_name: contact.lastName,
    tags: contact.tags || [],
  });
  return data.id;
};

module.exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await upsertContact(JSON.parse(record.body));
    } catch (err) {
      const status = err.response && err.response.status;
      if (status && status < 500 && status !== 429) {
        console.warn("dropping contact", record.messageId, status);
        continue;
      }
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  await axios.post(process.env.HEARTBEAT_URL, { ok: true, count: event.Records.length });
  return { batchItemFailures };
};
