// The upstream Gateway API conformance suite (sigs.k8s.io/gateway-api/conformance), run against
// Tollgate by tools/conformance.sh. It differs from the suite's own TestConformance in its base
// manifests only, since no registry is reachable from the node: the echo backend's image is the one
// tools/conformance.sh built from the same module (ECHO_IMAGE), and the DNS server the suite runs
// for its UDP tests is the cluster's own CoreDNS build (COREDNS_IMAGE), run as root (that build's
// binary carries no file capability to bind port 53 as nobody), without its upstream forwarding
// (never send traffic off the machine) and without the whoami zone (a plugin that build leaves
// out). Every flag of the suite (-gateway-class, -conformance-profiles, -supported-features,
// -report-output, ...) applies.
package conformance_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"sigs.k8s.io/gateway-api/conformance"
)

// upstreamEcho is the prefix of the echo image the suite's manifests name.
const upstreamEcho = "gcr.io/k8s-staging-gateway-api/echo-basic:"

func TestConformance(t *testing.T) {
	image := os.Getenv("ECHO_IMAGE")
	coredns := os.Getenv("COREDNS_IMAGE")
	if image == "" || coredns == "" {
		t.Fatal("ECHO_IMAGE or COREDNS_IMAGE is not set (tools/conformance.sh sets them)")
	}
	manifests, err := withEchoImage(conformance.Manifests, image, strings.NewReplacer(
		"image: registry.k8s.io/coredns/coredns:v1.12.2", "image: "+coredns,
		"        forward . 8.8.8.8 9.9.9.9\n        log\n", "",
		"    foo.bar.com:53 {\n      whoami\n    }", "",
		"        securityContext:\n          allowPrivilegeEscalation: false\n          capabilities:\n            add:\n            - NET_BIND_SERVICE",
		"        securityContext:\n          runAsUser: 0\n          allowPrivilegeEscalation: false\n          capabilities:\n            add:\n            - NET_BIND_SERVICE",
	))
	if err != nil {
		t.Fatalf("cannot read the suite's manifests: %v", err)
	}
	opts := conformance.DefaultOptions(t)
	opts.ManifestFS = []fs.FS{manifests}
	conformance.RunConformanceWithOptions(t, opts)
}

// withEchoImage copies every manifest, the echo image replaced by image and the rest by replacer.
func withEchoImage(source fs.FS, image string, replacer *strings.Replacer) (fs.FS, error) {
	copied := fstest.MapFS{}
	err := fs.WalkDir(source, ".", func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		data, err := fs.ReadFile(source, path)
		if err != nil {
			return err
		}
		text := replacer.Replace(string(data))
		for strings.Contains(text, upstreamEcho) {
			start := strings.Index(text, upstreamEcho)
			end := start + strings.IndexAny(text[start:], " \n\r\t\"'")
			if end < start {
				end = len(text)
			}
			text = text[:start] + image + text[end:]
		}
		copied[path] = &fstest.MapFile{Data: []byte(text)}
		return nil
	})
	return copied, err
}
