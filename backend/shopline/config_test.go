package shopline

import (
	"reflect"
	"strings"
	"testing"

	"orderdesk/backend"
)

func TestNewValidatesTheConfig(t *testing.T) {
	t.Parallel()
	good := backend.ShopConfig{Name: "sl", Platform: backend.Shopline, URL: "https://open001.myshopline.com/",
		APIVersion: "v20251201", Token: backend.NewSecret("tok-123456")}
	if _, err := New(good); err != nil {
		t.Fatalf("good config: %v", leaks.Err(err))
	}
	for _, c := range []struct {
		name string
		edit func(c *backend.ShopConfig)
		want string
	}{
		{"no name", func(c *backend.ShopConfig) { c.Name = "" }, "name is required"},
		{"other platform", func(c *backend.ShopConfig) { c.Platform = backend.YMCart }, `platform is "ymcart"`},
		{"no url", func(c *backend.ShopConfig) { c.URL = "" }, "url is required"},
		{"not http", func(c *backend.ShopConfig) { c.URL = "ftp://open001.myshopline.com" }, "is not an http(s) address"},
		{"api path in url", func(c *backend.ShopConfig) { c.URL = "https://open001.myshopline.com/admin/openapi/v20251201" }, "must be the store address only"},
		{"credentials in url", func(c *backend.ShopConfig) { c.URL = "https://u:tok-123456@open001.myshopline.com" }, "must not carry credentials"},
		{"token in query", func(c *backend.ShopConfig) { c.URL = "https://open001.myshopline.com?access_token=tok-123456" }, "must not carry credentials"},
		{"no token", func(c *backend.ShopConfig) { c.Token = backend.Secret{} }, "access token is required"},
		{"no version", func(c *backend.ShopConfig) { c.APIVersion = "" }, `api_version "" is not a SHOPLINE version`},
		{"bad version", func(c *backend.ShopConfig) { c.APIVersion = "2025-12" }, `api_version "2025-12"`},
	} {
		cfg := good
		c.edit(&cfg)
		_, err := New(cfg)
		leaks.Err(err)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "tok-123456") {
			t.Errorf("%s: the error shows the token: %v", c.name, err)
		}
	}
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	shop := newShop(t, backend.ShopConfig{Name: "sl", URL: "https://open001.myshopline.com", APIVersion: "v20251201", Token: backend.NewSecret("tok-123456")})
	got := shop.Capabilities()
	for i := range got.Status.Values {
		got.Status.Values[i].Irreversible = "" // TestIrreversibleStatusValues checks them
	}
	want := backend.Capabilities{
		Incremental: true, CreatedWindow: true,
		Status: backend.Capability{Supported: true, Notifies: backend.NotifyOptional, BatchLimit: 1, Values: []backend.StatusValue{
			{Value: "cancel", Label: "Cancel the order"}, {Value: "archive", Label: "Archive (hide) the order"},
			{Value: "unarchive", Label: "Unarchive (reopen) the order"}}},
		Ship:   backend.Capability{Supported: true, Notifies: backend.NotifyOptional, BatchLimit: 1},
		Remark: backend.Capability{Supported: true, Notifies: backend.NotifyNever, BatchLimit: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("capabilities\n got %+v\nwant %+v", got, want)
	}
	if shop.Name() != "sl" || shop.Platform() != backend.Shopline {
		t.Fatal("name/platform")
	}
}
