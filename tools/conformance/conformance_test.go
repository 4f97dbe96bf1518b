// The upstream Gateway API conformance suite (sigs.k8s.io/gateway-api/conformance), run against
// Tollgate by tools/conformance.sh. It differs from the suite's own TestConformance in one way:
// the echo backend's image is the one tools/conformance.sh built from the same module and imported
// into the node (no registry is reachable there), named by ECHO_IMAGE. Every flag of the suite
// (-gateway-class, -conformance-profiles, -supported-features, -report-output, ...) applies.
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
	if image == "" {
		t.Fatal("ECHO_IMAGE is not set (tools/conformance.sh sets it)")
	}
	manifests, err := withEchoImage(conformance.Manifests, image)
	if err != nil {
		t.Fatalf("cannot read the suite's manifests: %v", err)
	}
	opts := conformance.DefaultOptions(t)
	opts.ManifestFS = []fs.FS{manifests}
	conformance.RunConformanceWithOptions(t, opts)
}

// withEchoImage copies every manifest, the echo image replaced by image.
func withEchoImage(source fs.FS, image string) (fs.FS, error) {
	copied := fstest.MapFS{}
	err := fs.WalkDir(source, ".", func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		data, err := fs.ReadFile(source, path)
		if err != nil {
			return err
		}
		text := string(data)
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
