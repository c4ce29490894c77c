package pdftext

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"

	"escale/internal/mission"
)

// decrypter is the standard security handler opened with the empty user
// password: what lets a viewer open a file protected only by an owner
// password. Files that need a real user password are mission.ErrEncrypted.
type decrypter struct {
	key          []byte
	strMethod    string // "RC4", "AESV2", "AESV3" or "Identity"
	stmMethod    string
	encryptMeta  bool
	keyLenBytes  int
	revision     int
	encryptObjNo int // the Encrypt dictionary's object, never decrypted
}

// padding is the password padding string of the standard security handler.
var padding = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

var errNeedsPassword = mission.Refuse(mission.ErrEncrypted, "pdf: a user password is required")

// newDecrypter reads an Encrypt dictionary; id is the first element of the
// trailer's ID.
func newDecrypter(enc obj, id string) (*decrypter, error) {
	if f, _ := enc.key("Filter"); f.str != "Standard" {
		return nil, mission.Refuse(mission.ErrEncrypted, "pdf: security handler %q", f.str)
	}
	v := int(numKey(enc, "V", 0))
	r := int(numKey(enc, "R", 0))
	o, _ := enc.key("O")
	u, _ := enc.key("U")
	p := uint32(int32(numKey(enc, "P", 0)))
	d := &decrypter{revision: r, encryptMeta: true}
	if em, ok := enc.key("EncryptMetadata"); ok && em.k == kBool {
		d.encryptMeta = em.bval
	}
	switch v {
	case 1, 2:
		d.strMethod, d.stmMethod = "RC4", "RC4"
	case 4, 5:
		d.strMethod = cryptMethod(enc, "StrF")
		d.stmMethod = cryptMethod(enc, "StmF")
	default:
		return nil, mission.Refuse(mission.ErrEncrypted, "pdf: encryption version %d", v)
	}
	if r >= 5 {
		key, err := aesV3Key(r, o.str, u.str, enc)
		if err != nil {
			return nil, err
		}
		d.key = key
		return d, nil
	}
	n := 5
	if r >= 3 {
		n = int(numKey(enc, "Length", 40)) / 8
		if v == 4 && n < 16 {
			n = 16
		}
		if n < 5 || n > 16 {
			n = 16
		}
	}
	d.keyLenBytes = n
	if len(o.str) < 32 || len(u.str) < 16 {
		return nil, mission.Refuse(mission.ErrDamaged, "pdf: encryption dictionary without O or U")
	}
	h := md5.New()
	h.Write(padding)
	h.Write([]byte(o.str[:32]))
	h.Write([]byte{byte(p), byte(p >> 8), byte(p >> 16), byte(p >> 24)})
	h.Write([]byte(id))
	if r >= 4 && !d.encryptMeta {
		h.Write([]byte{0xff, 0xff, 0xff, 0xff})
	}
	key := h.Sum(nil)
	if r >= 3 {
		for i := 0; i < 50; i++ {
			s := md5.Sum(key[:n])
			key = s[:]
		}
	}
	key = key[:n]
	// Check the empty user password against U (algorithms 4 and 5).
	var check []byte
	if r == 2 {
		c, _ := rc4.NewCipher(key)
		check = make([]byte, 32)
		c.XORKeyStream(check, padding)
		if !bytes.Equal(check, []byte(u.str[:32])) {
			return nil, errNeedsPassword
		}
	} else {
		h := md5.New()
		h.Write(padding)
		h.Write([]byte(id))
		check = h.Sum(nil)
		for i := 0; i < 20; i++ {
			k := make([]byte, len(key))
			for j := range key {
				k[j] = key[j] ^ byte(i)
			}
			c, _ := rc4.NewCipher(k)
			c.XORKeyStream(check, check)
		}
		if !bytes.Equal(check[:16], []byte(u.str[:16])) {
			return nil, errNeedsPassword
		}
	}
	d.key = key
	return d, nil
}

func numKey(d obj, name string, def float64) float64 {
	if v, ok := d.key(name); ok && v.k == kNum {
		return v.num
	}
	return def
}

// cryptMethod returns the method of the crypt filter named by key (StmF,
// StrF) in a V4/V5 Encrypt dictionary.
func cryptMethod(enc obj, key string) string {
	name := "Identity"
	if f, ok := enc.key(key); ok && f.k == kName {
		name = f.str
	}
	if name == "Identity" {
		return "Identity"
	}
	cf, _ := enc.key("CF")
	filter, _ := cf.key(name)
	m, _ := filter.key("CFM")
	switch m.str {
	case "AESV2", "AESV3":
		return m.str
	case "None":
		return "Identity"
	}
	return "RC4"
}

// aesV3Key derives the file key of revisions 5 and 6 (AES-256) from the
// empty user password (algorithms 2.A and 2.B).
func aesV3Key(r int, o, u string, enc obj) ([]byte, error) {
	ue, _ := enc.key("UE")
	if len(u) < 48 || len(ue.str) < 32 {
		return nil, mission.Refuse(mission.ErrDamaged, "pdf: AES-256 encryption without U or UE")
	}
	validation, keySalt := []byte(u[32:40]), []byte(u[40:48])
	if !bytes.Equal(hash2B(r, nil, validation, nil), []byte(u[:32])) {
		return nil, errNeedsPassword
	}
	inter := hash2B(r, nil, keySalt, nil)
	block, err := aes.NewCipher(inter)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	cipher.NewCBCDecrypter(block, make([]byte, 16)).CryptBlocks(key, []byte(ue.str[:32]))
	return key, nil
}

// hash2B is algorithm 2.B of ISO 32000-2 (revision 6), or plain SHA-256
// for revision 5.
func hash2B(r int, pw, salt, udata []byte) []byte {
	h := sha256.New()
	h.Write(pw)
	h.Write(salt)
	h.Write(udata)
	k := h.Sum(nil)
	if r == 5 {
		return k
	}
	for i := 0; ; i++ {
		var k1 []byte
		for j := 0; j < 64; j++ {
			k1 = append(k1, pw...)
			k1 = append(k1, k...)
			k1 = append(k1, udata...)
		}
		block, _ := aes.NewCipher(k[:16])
		e := make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, b := range e[:16] {
			sum += int(b)
		}
		var hh hash.Hash
		switch sum % 3 {
		case 0:
			hh = sha256.New()
		case 1:
			hh = sha512.New384()
		default:
			hh = sha512.New()
		}
		hh.Write(e)
		k = hh.Sum(nil)
		if i >= 63 && int(e[len(e)-1]) <= i-32 {
			break
		}
	}
	return k[:32]
}

// objectKey is algorithm 1: the key of one object for RC4 and AESV2.
func (d *decrypter) objectKey(num, gen int, aesMode bool) []byte {
	h := md5.New()
	h.Write(d.key)
	h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), byte(gen), byte(gen >> 8)})
	if aesMode {
		h.Write([]byte("sAlT"))
	}
	k := h.Sum(nil)
	return k[:min(len(d.key)+5, 16)]
}

var errShortCipher = errors.New("pdf: encrypted data shorter than a block")

// decrypt decrypts a string (stream false) or stream data of object num.
func (d *decrypter) decrypt(data []byte, num, gen int, stream bool) ([]byte, error) {
	method := d.strMethod
	if stream {
		method = d.stmMethod
	}
	switch method {
	case "Identity":
		return data, nil
	case "RC4":
		c, err := rc4.NewCipher(d.objectKey(num, gen, false))
		if err != nil {
			return nil, err
		}
		out := make([]byte, len(data))
		c.XORKeyStream(out, data)
		return out, nil
	}
	key := d.key
	if method == "AESV2" {
		key = d.objectKey(num, gen, true)
	}
	if len(data) < 32 || len(data)%16 != 0 {
		if len(data) >= 32 { // trailing junk: decrypt the whole blocks
			data = data[:len(data)/16*16]
		} else if len(data) == 16 || len(data) == 0 {
			return nil, nil // an IV alone: the empty string
		} else {
			return nil, errShortCipher
		}
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data)-16)
	cipher.NewCBCDecrypter(block, data[:16]).CryptBlocks(out, data[16:])
	if n := int(out[len(out)-1]); n >= 1 && n <= 16 && n <= len(out) {
		out = out[:len(out)-n]
	}
	return out, nil
}
