package webhook_test

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"ferry/internal/klipy/webhook"
)

func ExampleVerify() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"type":"deal.moved","object":"event","data":{"deal_id":"dl_1","to":"Proposal"}}`)
	sent := time.Unix(1779274800, 0)
	sig, _ := webhook.Sign(secret, "msg_1", sent, body)

	h := http.Header{}
	h.Set(webhook.HeaderID, "msg_1")
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(sent.Unix(), 10))
	h.Set(webhook.HeaderSignature, sig)
	fmt.Println(webhook.Verify(secret, h, body, sent.Add(time.Minute)))
	fmt.Println(webhook.Verify(secret, h, body, sent.Add(time.Hour)))
	// Output:
	// <nil>
	// stale timestamp: svix-timestamp is 1h0m0s away from now (tolerance 5m0s)
}
