// CoreDNS with only the plugins the test cluster's DNS needs: names of Services and pods in
// cluster.local, nothing forwarded anywhere (a name it does not know gets NXDOMAIN). Importing
// just these plugins, instead of CoreDNS's default set with its cloud back ends, keeps the build
// to a fraction of the full one.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/ready"
)

// Plugins run in this order (CoreDNS's plugin.cfg order for these six).
var directives = []string{"ready", "health", "errors", "loadbalance", "cache", "kubernetes"}

func init() { dnsserver.Directives = directives }

func main() { coremain.Run() }
