// filterexpr.js - display-filter expressions built the way Wireshark
// builds them: "Apply as Filter" on a field (field == value, strings
// quoted), and the filters of a station or a conversation.

const QUOTED = new Set(['FT_STRING', 'FT_STRINGZ', 'FT_UINT_STRING', 'FT_STRINGZPAD',
	'FT_STRINGZTRUNC', 'FT_ABSOLUTE_TIME']);

export function quote(s) {
	return `"${String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// `type` is the field's FT_ type name (from /filter/complete); a protocol
// or a node without a value filters on presence alone.
export function fieldFilter(field, value, type) {
	if (value == null || type === 'Protocol' || type === 'FT_PROTOCOL' || type === 'FT_NONE')
		return field;
	const needs = QUOTED.has(type) || value === '' || /[\s,"()]/.test(value);
	return `${field} == ${needs ? quote(value) : value}`;
}

const isV6 = (a) => String(a).includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(a);
const isMac = (a) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(a);

function addrField(kind, addr) {
	if (kind === 'eth' || isMac(addr))
		return 'eth.addr';
	return kind === 'ipv6' || isV6(addr) ? 'ipv6.addr' : 'ip.addr';
}

export function stationFilter(station) {
	return `${addrField(station.kind, station.address)} == ${station.address}`;
}

// As Wireshark's Conversations dialog: both addresses (and both ports).
export function conversationFilter(type, c) {
	const kind = type === 'tcp' || type === 'udp' ? null : type;
	const af = addrField(kind, c.address_a);
	if (!kind) {
		const pf = `${type}.port`;
		return `${af} == ${c.address_a} && ${pf} == ${c.port_a} && ${af} == ${c.address_b} && ${pf} == ${c.port_b}`;
	}
	return `${af} == ${c.address_a} && ${af} == ${c.address_b}`;
}
