"""EventBridge rule -> SES: sends a Korean-language shipping notice."""
import os

import boto3

ses = boto3.client("ses", region_name=os.environ.get("SES_REGION", "ap-northeast-2"))
SENDER = os.environ.get("SENDER", "no-reply@example.com")

# 배송 상태별 안내 문구 (고객에게 보내는 메일 제목)
SUBJECTS = {
    "SHIPPED": "주문하신 상품이 발송되었습니다",
    "DELIVERED": "상품이 배송 완료되었습니다",
    "DELAYED": "배송이 지연되고 있습니다 — 죄송합니다",
}


def body_for(detail: dict) -> str:
    name = detail.get("customerName", "고객")
    # 운송장 번호가 없으면 안내 문장을 생략한다
    tracking = f"\n운송장 번호: {detail['trackingNumber']}" if detail.get("trackingNumber") else ""
    return f"{name}님, 안녕하세요.\n주문 번호 {detail['orderId']}의 상태: {detail['status']}{tracking}"


def handler(event, context):
    detail = event["detail"]
    subject = SUBJECTS.get(detail["status"])
    if subject is None:
        return {"skipped": detail["status"]}
    ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": [detail["email"]]},
        Message={
            "Subject": {"Data": subject, "Charset": "UTF-8"},
            "Body": {"Text": {"Data": body_for(detail), "Charset": "UTF-8"}},
        },
    )
    return {"sent": detail["orderId"]}
