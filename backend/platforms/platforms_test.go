package platforms

import (
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

func TestOpenEveryPlatformAgainstItsSim(t *testing.T) {
	for _, p := range Names() {
		srv, err := simshop.New(p, simshop.Options{Seed: 3, Orders: 3})
		if err != nil {
			t.Fatal(err)
		}
		shop, err := Open(srv.Config("s-" + string(p)))
		srv.Close()
		if err != nil || shop.Platform() != p || shop.Name() != "s-"+string(p) {
			t.Errorf("%s: %v %v", p, shop, err)
		}
	}
	if len(Names()) != 4 {
		t.Errorf("Names() = %v", Names())
	}
}

func TestOpenRejectsUnknownPlatformAndBadConfig(t *testing.T) {
	_, err := Open(backend.ShopConfig{Name: "x", Platform: "magento"})
	if err == nil || !strings.Contains(err.Error(), `unknown platform "magento"`) || !strings.Contains(err.Error(), "shopline") {
		t.Errorf("err = %v", err)
	}
	for _, p := range Names() {
		s, err := Open(backend.ShopConfig{Name: "x", Platform: p})
		if err == nil || s != nil || !strings.Contains(err.Error(), `shop "x"`) {
			t.Errorf("%s with no URL or credentials: shop=%v err=%v", p, s, err)
		}
	}
}
