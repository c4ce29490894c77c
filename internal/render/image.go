package render

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	"github.com/ledongthuc/pdf"
	"golang.org/x/image/ccitt"
)

// orientation says how an image's pixel grid maps to the page as shown:
// whether its columns run down the page (a quarter turn), and whether
// columns and rows run backwards.
type orientation struct {
	transpose bool
	flipX     bool // output columns run right to left
	flipY     bool // output rows run bottom to top
	colPoints float64
	rowPoints float64
	upright   bool
}

// orient works out, from a placement's matrix and the page's /Rotate, how
// the image appears on the displayed page. In image space the first row of
// samples is at the top of the unit square.
func orient(m matrix, rotate int) orientation {
	display := func(x, y float64) (float64, float64) { // page vector, y up, to display, y down
		switch rotate {
		case 90:
			return y, x
		case 180:
			return -x, y
		case 270:
			return -y, -x
		}
		return x, -y
	}
	cx, cy := display(m[0], m[1])   // along a row, column after column
	rx, ry := display(-m[2], -m[3]) // down the columns, row after row
	o := orientation{colPoints: math.Hypot(cx, cy), rowPoints: math.Hypot(rx, ry)}
	if math.Abs(cx) >= math.Abs(cy) {
		o.flipX = cx < 0
		o.flipY = ry < 0
	} else {
		o.transpose = true
		o.flipX = rx < 0 // rows become columns
		o.flipY = cy < 0
	}
	o.upright = !o.transpose && !o.flipX && !o.flipY
	return o
}

// apply returns img turned to show as on the page.
func (o orientation) apply(img image.Image) image.Image {
	if o.upright {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o.transpose {
		ow, oh = h, w
	}
	src := func(x, y int) (int, int) {
		if o.flipX {
			x = ow - 1 - x
		}
		if o.flipY {
			y = oh - 1 - y
		}
		if o.transpose {
			x, y = y, x
		}
		return b.Min.X + x, b.Min.Y + y
	}
	if g, ok := img.(*image.Gray); ok {
		out := image.NewGray(image.Rect(0, 0, ow, oh))
		for y := range oh {
			for x := range ow {
				sx, sy := src(x, y)
				out.Pix[y*out.Stride+x] = g.GrayAt(sx, sy).Y
			}
		}
		return out
	}
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := range oh {
		for x := range ow {
			sx, sy := src(x, y)
			out.Set(x, y, img.At(sx, sy))
		}
	}
	return out
}

// errUnsupported is an image encoding this package cannot extract: the
// page is left to a renderer.
var errUnsupported = errors.New("render: unsupported image encoding")

// extract returns the image that a placement draws, encoded for
// Tesseract and browsers: a JPEG as stored when it shows upright, else a
// PNG.
func (d *Doc) extract(p placement, rotate int) (*Image, error) {
	x := p.x
	w, h := int(x.Key("Width").Int64()), int(x.Key("Height").Int64())
	if w <= 0 || h <= 0 || int64(w)*int64(h) > maxPixels {
		return nil, fmt.Errorf("render: image of %d×%d pixels", w, h)
	}
	o := orient(p.ctm, rotate)
	filters := filterNames(x.Key("Filter"))
	var img image.Image
	var err error
	switch {
	case len(filters) == 1 && filters[0] == "DCTDecode":
		raw, err := d.raw(x)
		if err != nil {
			return nil, err
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("render: jpeg: %w", err)
		}
		if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
			return nil, fmt.Errorf("render: jpeg of %d×%d pixels", cfg.Width, cfg.Height)
		}
		if o.upright && cfg.ColorModel != color.CMYKModel && !decodeInverted(x, 1) {
			return newImage(raw, "jpeg", cfg.Width, cfg.Height, o), nil
		}
		if img, err = jpeg.Decode(bytes.NewReader(raw)); err != nil {
			return nil, fmt.Errorf("render: jpeg: %w", err)
		}
		if cfg.ColorModel == color.CMYKModel {
			img = adobeCMYK(img)
		}
		if decodeInverted(x, 1) {
			img = invert(img)
		}
	case len(filters) == 1 && filters[0] == "JPXDecode" && o.upright:
		raw, err := d.raw(x)
		if err != nil {
			return nil, err
		}
		return newImage(raw, "jp2", w, h, o), nil
	case len(filters) == 1 && filters[0] == "CCITTFaxDecode":
		img, err = d.fax(x, w, h)
	case len(filters) <= 1 && (len(filters) == 0 || filters[0] == "FlateDecode"):
		img, err = d.samples(x, w, h)
	default:
		return nil, fmt.Errorf("%w: %v", errUnsupported, filters)
	}
	if err != nil {
		return nil, err
	}
	img = o.apply(img)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("render: png: %w", err)
	}
	b := img.Bounds()
	return newImage(buf.Bytes(), "png", b.Dx(), b.Dy(), o), nil
}

// newImage fills in an Image's size and resolution: the pixels across the
// displayed page over the inches they span.
func newImage(data []byte, format string, w, h int, o orientation) *Image {
	across := o.colPoints
	if o.transpose {
		across = o.rowPoints
	}
	dpi := 0.0
	if across > 0 {
		dpi = float64(w) / (across / 72)
	}
	return &Image{Data: data, Format: format, Width: w, Height: h, DPI: dpi, Source: SourceEmbedded}
}

func filterNames(v pdf.Value) []string {
	switch v.Kind() {
	case pdf.Name:
		return []string{v.Name()}
	case pdf.Array:
		var out []string
		for i := 0; i < v.Len() && i < 8; i++ {
			out = append(out, v.Index(i).Name())
		}
		return out
	}
	return nil
}

// decodeInverted tells an image whose /Decode array maps samples backwards
// ([1 0]): dark shows light.
func decodeInverted(x pdf.Value, comps int) bool {
	dec := x.Key("Decode")
	return dec.Kind() == pdf.Array && dec.Len() == 2*comps && comps == 1 &&
		dec.Index(0).Float64() > dec.Index(1).Float64()
}

// fax decodes a CCITT Group 3 or 4 image, the usual encoding of
// black-and-white scans.
func (d *Doc) fax(x pdf.Value, w, h int) (image.Image, error) {
	raw, err := d.raw(x)
	if err != nil {
		return nil, err
	}
	p := x.Key("DecodeParms")
	if p.Kind() == pdf.Array {
		p = p.Index(0)
	}
	sf := ccitt.Group3
	switch k := p.Key("K").Int64(); {
	case k < 0:
		sf = ccitt.Group4
	case k > 0:
		return nil, fmt.Errorf("%w: mixed 2-D Group 3 fax", errUnsupported)
	}
	if c := p.Key("Columns"); c.Kind() == pdf.Integer && int(c.Int64()) != w {
		return nil, fmt.Errorf("render: fax of %d columns in an image %d wide", c.Int64(), w)
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	opts := &ccitt.Options{Align: p.Key("EncodedByteAlign").Bool()}
	if err := ccitt.DecodeIntoGray(img, bytes.NewReader(raw), ccitt.MSB, sf, opts); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("render: fax: %w", err)
	}
	if p.Key("BlackIs1").Bool() != decodeInverted(x, 1) {
		invertGray(img)
	}
	return img, nil
}

// samples decodes an image stored as samples, compressed with Flate or not:
// gray, RGB, CMYK, indexed, separations and masks, 1 to 16 bits.
func (d *Doc) samples(x pdf.Value, w, h int) (image.Image, error) {
	bpc := int(x.Key("BitsPerComponent").Int64())
	mask := x.Key("ImageMask").Bool()
	if mask {
		bpc = 1
	}
	cs, err := colorSpace(x.Key("ColorSpace"), mask)
	if err != nil {
		return nil, err
	}
	switch bpc {
	case 1, 2, 4, 8, 16:
	default:
		return nil, fmt.Errorf("render: %d bits per component", bpc)
	}
	rowBytes := (w*cs.comps*bpc + 7) / 8
	want := int64(rowBytes) * int64(h)
	var data []byte
	if filterNames(x.Key("Filter")) == nil {
		data, err = d.raw(x)
	} else {
		data, err = d.inflate(x, rowBytes, h)
	}
	if err != nil {
		return nil, err
	}
	if int64(len(data)) < want {
		// A short stream is a truncated scan: keep what is there.
		data = append(data, make([]byte, want-int64(len(data)))...)
	}
	sample := func(row []byte, i int) int { // the i-th sample of a row, scaled to 0..255
		switch bpc {
		case 8:
			return int(row[i])
		case 16:
			return int(row[2*i])
		}
		bit := i * bpc
		v := int(row[bit/8]>>(8-bpc-bit%8)) & (1<<bpc - 1)
		if cs.indexed {
			return v
		}
		return v * 255 / (1<<bpc - 1)
	}
	inv := decodeInverted(x, cs.comps)
	if cs.comps == 1 && !cs.indexed {
		img := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			row := data[y*rowBytes : (y+1)*rowBytes]
			for i := range w {
				v := sample(row, i)
				if cs.subtractive {
					v = 255 - v
				}
				img.Pix[y*img.Stride+i] = uint8(v)
			}
		}
		if inv {
			invertGray(img)
		}
		return img, nil
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := data[y*rowBytes : (y+1)*rowBytes]
		for i := range w {
			var c [4]int
			if cs.indexed {
				c = cs.lookup(sample(row, i))
			} else {
				for k := range cs.comps {
					c[k] = sample(row, i*cs.comps+k)
				}
				c = cs.rgb(c)
			}
			o := y*img.Stride + 4*i
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = uint8(c[0]), uint8(c[1]), uint8(c[2]), 255
		}
	}
	return img, nil
}

// inflate decompresses a Flate stream to at most rows of rowBytes, undoing
// a PNG predictor when there is one.
func (d *Doc) inflate(x pdf.Value, rowBytes, rows int) ([]byte, error) {
	raw, err := d.raw(x)
	if err != nil {
		return nil, err
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("render: flate: %w", err)
	}
	p := x.Key("DecodeParms")
	if p.Kind() == pdf.Array {
		p = p.Index(0)
	}
	pred := int(p.Key("Predictor").Int64())
	if pred < 10 {
		if pred == 2 {
			return nil, fmt.Errorf("%w: TIFF predictor", errUnsupported)
		}
		out, err := io.ReadAll(io.LimitReader(zr, int64(rowBytes)*int64(rows)))
		if err != nil && len(out) == 0 {
			return nil, fmt.Errorf("render: flate: %w", err)
		}
		return out, nil
	}
	// PNG predictors: each row starts with its filter type; bpp is the
	// bytes per pixel, at least one.
	colors := max(1, int(p.Key("Colors").Int64()))
	bits := int(p.Key("BitsPerComponent").Int64())
	if bits == 0 {
		bits = 8
	}
	bpp := max(1, colors*bits/8)
	out := make([]byte, 0, rowBytes*rows)
	prev := make([]byte, rowBytes)
	cur := make([]byte, rowBytes+1)
	for range rows {
		if _, err := io.ReadFull(zr, cur); err != nil {
			break
		}
		line := cur[1:]
		for i := range line {
			var left, upLeft byte
			if i >= bpp {
				left, upLeft = line[i-bpp], prev[i-bpp]
			}
			switch cur[0] {
			case 1:
				line[i] += left
			case 2:
				line[i] += prev[i]
			case 3:
				line[i] += byte((int(left) + int(prev[i])) / 2)
			case 4:
				line[i] += paeth(left, prev[i], upLeft)
			}
		}
		out = append(out, line...)
		copy(prev, line)
	}
	if len(out) == 0 {
		return nil, errors.New("render: flate: no rows")
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// space is an image's color space, reduced to what turning it into gray or
// RGB needs.
type space struct {
	comps       int
	subtractive bool // ink: 0 is white (separations)
	cmyk        bool
	indexed     bool
	palette     [][4]int
}

func (s space) rgb(c [4]int) [4]int {
	switch {
	case s.cmyk:
		k := c[3]
		return [4]int{(255 - c[0]) * (255 - k) / 255, (255 - c[1]) * (255 - k) / 255, (255 - c[2]) * (255 - k) / 255}
	case s.comps == 1:
		return [4]int{c[0], c[0], c[0]}
	}
	return c
}

func (s space) lookup(i int) [4]int {
	if i < len(s.palette) {
		return s.palette[i]
	}
	return [4]int{}
}

// colorSpace reads the color spaces scans use.
func colorSpace(v pdf.Value, mask bool) (space, error) {
	if mask {
		return space{comps: 1}, nil
	}
	name := v.Name()
	if v.Kind() == pdf.Array && v.Len() > 0 {
		name = v.Index(0).Name()
	}
	switch name {
	case "DeviceGray", "CalGray", "G":
		return space{comps: 1}, nil
	case "DeviceRGB", "CalRGB", "RGB", "Lab":
		return space{comps: 3}, nil
	case "DeviceCMYK", "CMYK":
		return space{comps: 4, cmyk: true}, nil
	case "Separation":
		return space{comps: 1, subtractive: true}, nil
	case "ICCBased":
		switch v.Index(1).Key("N").Int64() {
		case 1:
			return space{comps: 1}, nil
		case 3:
			return space{comps: 3}, nil
		case 4:
			return space{comps: 4, cmyk: true}, nil
		}
	case "Indexed", "I":
		if v.Len() != 4 {
			break
		}
		base, err := colorSpace(v.Index(1), false)
		if err != nil || base.indexed {
			break
		}
		hival := min(int(v.Index(2).Int64()), 255)
		table := []byte(v.Index(3).RawString())
		if v.Index(3).Kind() == pdf.Stream {
			if table, err = decoded(v.Index(3), 4096); err != nil {
				break
			}
		}
		s := space{comps: 1, indexed: true}
		for i := 0; i <= hival && (i+1)*base.comps <= len(table); i++ {
			var c [4]int
			for k := range base.comps {
				c[k] = int(table[i*base.comps+k])
			}
			s.palette = append(s.palette, base.rgb(c))
		}
		return s, nil
	}
	return space{}, fmt.Errorf("%w: color space %s", errUnsupported, v)
}

func invertGray(g *image.Gray) {
	for i := range g.Pix {
		g.Pix[i] = 255 - g.Pix[i]
	}
}

func invert(img image.Image) image.Image {
	if g, ok := img.(*image.Gray); ok {
		invertGray(g)
		return g
	}
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			out.Set(x, y, color.RGBA{255 - uint8(r>>8), 255 - uint8(g>>8), 255 - uint8(bl>>8), 255})
		}
	}
	return out
}

// adobeCMYK turns a CMYK JPEG into RGB. Adobe's writers store CMYK JPEGs
// inverted, and Go's decoder already undoes that; what is left is the
// naive conversion.
func adobeCMYK(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(x, y, color.RGBAModel.Convert(img.At(x, y)))
		}
	}
	return out
}
