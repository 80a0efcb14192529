package accounts

import "net/netip"

// AddressKey is the client address as rate limits count it. An IPv6
// client is its /64: one household or phone is given a whole /64 and may
// take any address in it, so counting single addresses would give it 2^64
// fresh starts. An IPv4 address (or anything that is not an address) is
// itself.
func AddressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	if a = a.Unmap(); a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a.WithZone(""), 64).Masked().String()
}

// NetworkKey is the wider network around a client address, for limits on
// what one network may do together (sign-ups): an IPv4 /24 or an IPv6 /48,
// the usual size of one organisation's or one site's allocation.
func NetworkKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	bits := 48
	if a = a.Unmap(); a.Is4() {
		bits = 24
	}
	return netip.PrefixFrom(a.WithZone(""), bits).Masked().String()
}
