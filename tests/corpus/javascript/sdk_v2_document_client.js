// Node.js 16-era handler on the v2 SDK: DocumentClient with .promise().
const AWS = require("aws-sdk");

const docClient = new AWS.DynamoDB.DocumentClient({ convertEmptyValues: true });
const TABLE = process.env.TABLE_NAME;

exports.handler = async (event, context) => {
  const body = JSON.parse(event.body);
  const now = new Date().toISOString();

  const existing = await docClient.get({ TableName: TABLE, Key: { id: body.id } }).promise();
  if (existing.Item && existing.Item.version !== body.version) {
    return { statusCode: 409, body: JSON.stringify({ message: "version conflict" }) };
  }

  await docClient
    .put({
      TableName: TABLE,
      Item: { ...body, version: (body.version || 0) + 1, updatedAt: now },
      ConditionExpression: "attribute_not_exists(id) OR version = :v",
      ExpressionAttributeValues: { ":v": body.version || 0 },
    })
    .promise();

  const counts = await docClient
    .update({
      TableName: TABLE,
      Key: { id: "__stats__" },
      UpdateExpression: "ADD writes :one",
      ExpressionAttributeValues: { ":one": 1 },
      ReturnValues: "UPDATED_NEW",
    })
    .promise();

  return {
    statusCode: 200,
    body: JSON.stringify({ id: body.id, writes: counts.Attributes.writes, requestId: context.awsRequestId }),
  };
};
