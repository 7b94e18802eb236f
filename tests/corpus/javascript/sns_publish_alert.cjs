// CloudWatch alarm (via EventBridge) -> formatted SNS message. CommonJS, object export.
const { SNSClient, PublishCommand } = require("@aws-sdk/client-sns");

const sns = new SNSClient({});
const TOPIC_ARN = process.env.ALERT_TOPIC_ARN;

function format(detail) {
  const lines = [
    `Alarm: ${detail.alarmName}`,
    `State: ${detail.previousState?.value} -> ${detail.state.value}`,
    `Reason: ${detail.state.reason}`,
  ];
  return lines.join("\n");
}

async function handler(event) {
  const detail = event.detail;
  if (detail.state.value === detail.previousState?.value) {
    return { published: false };
  }
  const result = await sns.send(
    new PublishCommand({
      TopicArn: TOPIC_ARN,
      Subject: `[${detail.state.value}] ${detail.alarmName}`.slice(0, 100),
      Message: format(detail),
      MessageAttributes: {
        severity: { DataType: "String", StringValue: detail.state.value === "ALARM" ? "high" : "info" },
      },
    }),
  );
  return { published: true, messageId: result.MessageId };
}

module.exports = { handler };
