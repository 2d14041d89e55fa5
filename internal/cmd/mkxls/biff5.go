package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// excel95 writes excel95.xls into dir; see excel95Book.
func excel95(dir string) error {
	book, err := excel95Book("")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "excel95.xls"), compoundFile("Book", book), 0o644)
}

// excel95Book writes the sample's records as Excel 5.0/95 saved them on a
// Chinese Windows: a BIFF5 "Book" stream whose strings are GBK bytes,
// under a title row, 成立日期 as dates, 注册资本 as numbers.
// With badName, that name's cell holds bytes that are not GBK.
func excel95Book(badName string) ([]byte, error) {
	rows, err := sample()
	if err != nil {
		return nil, err
	}
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			panic(err)
		}
		return b
	}
	var glob, sheet bytes.Buffer
	rec := func(w *bytes.Buffer, id uint16, parts ...any) {
		var d bytes.Buffer
		for _, p := range parts {
			binary.Write(&d, binary.LittleEndian, p)
		}
		binary.Write(w, binary.LittleEndian, id)
		binary.Write(w, binary.LittleEndian, uint16(d.Len()))
		w.Write(d.Bytes())
	}
	bof := func(w *bytes.Buffer, typ uint16) { rec(w, 0x0809, uint16(0x0500), typ, uint16(0x0DBB), uint16(0x07CC)) }
	bof(&glob, 0x0005)
	rec(&glob, 0x0042, uint16(936)) // CODEPAGE
	font := []byte("Arial")
	for i := 0; i < 4; i++ { // FONT: 10 pt, GB2312 character set
		rec(&glob, 0x0031, uint16(200), uint16(0), uint16(0x7FFF), uint16(400), uint16(0), uint8(0), uint8(0), uint8(134), uint8(0), uint8(len(font)), font)
	}
	dateFmt := []byte("yyyy-mm-dd")
	rec(&glob, 0x041E, uint16(164), uint8(len(dateFmt)), dateFmt) // FORMAT
	xf := func(fmtID uint16, style bool) {
		flags := uint16(0x0001) // a cell XF whose parent is style XF 0
		if style {
			flags = 0xFFF5
		}
		rec(&glob, 0x00E0, uint16(0), fmtID, flags, uint16(0x0020), uint16(0x40C0), uint16(0), uint16(0), uint16(0))
	}
	for i := 0; i < 15; i++ {
		xf(0, true)
	}
	xf(0, false)   // 15: the default cell
	xf(164, false) // 16: a date
	name := gbk("登记信息")
	// BOUNDSHEET's position is fixed up once the globals' length is known.
	bsAt := glob.Len() + 4
	rec(&glob, 0x0085, uint32(0), uint16(0), uint8(len(name)), name)
	rec(&glob, 0x000A)

	bof(&sheet, 0x0010)
	label := func(r, c int, s string) {
		b := gbk(s)
		if s == badName {
			b = append(b[:4:4], 0x81, 0x20) // a lead byte, then no trail byte
		}
		rec(&sheet, 0x0204, uint16(r), uint16(c), uint16(15), uint16(len(b)), b)
	}
	number := func(r, c, x int, f float64) {
		rec(&sheet, 0x0203, uint16(r), uint16(c), uint16(x), math.Float64bits(f))
	}
	label(0, 0, title)
	for i, row := range rows {
		for j, v := range row {
			switch {
			case i > 0 && rows[0][j] == "注册资本（万元）":
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return nil, err
				}
				number(i+1, j, 15, f)
			case i > 0 && rows[0][j] == "成立日期":
				t, err := time.Parse("2006-01-02", v)
				if err != nil {
					return nil, err
				}
				number(i+1, j, 16, t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours()/24)
			default:
				label(i+1, j, v)
			}
		}
	}
	rec(&sheet, 0x000A)

	book := glob.Bytes()
	binary.LittleEndian.PutUint32(book[bsAt:], uint32(len(book)))
	return append(book, sheet.Bytes()...), nil
}

// damage writes .xls cases of the damage corpus into dir, each with its
// .want: a cell that is not GBK (its row rejected, the rest read), and
// three ways a file may hide rows (refused).
func damage(dir string) error {
	rows, err := sample()
	if err != nil {
		return err
	}
	write := func(name string, data []byte, want string) error {
		if err := os.WriteFile(filepath.Join(dir, name+".xls"), data, 0o644); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".want"), []byte("# written by go run ./internal/cmd/mkxls -damage fixtures/damage\n"+want), 0o644)
	}
	bad, err := excel95Book(rows[5][1])
	if err != nil {
		return err
	}
	if err := write("xls-bad-gbk", compoundFile("Book", bad), "rows: 30\nrejected: 1\nargs: --max-rejects 1\nreject: 7 gbk 编码下不合法的字节\n"+
		"note: Excel 95 文件中第 5 条记录（工作表第 7 行）的企业名称含 GBK 下不合法的字节：拒收该行，其余照读\n"); err != nil {
		return err
	}
	good, err := excel95Book("")
	if err != nil {
		return err
	}
	file := compoundFile("Book", good)
	if err := write("xls-truncated", file[:len(file)/2], "refuse: 工作簿数据流不完整\n"+
		"note: 下载中断的 .xls，只有前一半：工作簿数据流不完整，可能缺少行，整个拒绝\n"); err != nil {
		return err
	}
	// The sheet's EOF record turned into a BLANK: the sheet runs off the end.
	noEOF := append([]byte(nil), good...)
	binary.LittleEndian.PutUint16(noEOF[len(noEOF)-4:], 0x0201)
	if err := write("xls-sheet-unended", compoundFile("Book", noEOF), "refuse: 已拒绝读取该文件\n"+
		"note: 工作表没有结束记录（EOF），其后可能还有行：整个拒绝\n"); err != nil {
		return err
	}
	// CODEPAGE turned into FILEPASS: a workbook with an open password.
	enc := append([]byte(nil), good...)
	for p := 0; p+4 <= len(enc); p += 4 + int(binary.LittleEndian.Uint16(enc[p+2:])) {
		if binary.LittleEndian.Uint16(enc[p:]) == 0x0042 {
			binary.LittleEndian.PutUint16(enc[p:], 0x002F)
			break
		}
	}
	if err := write("xls-encrypted", compoundFile("Book", enc), "refuse: 文件已加密\n"+
		"note: 设置了打开密码的工作簿：说明去掉密码后另存为 .xlsx\n"); err != nil {
		return err
	}
	// An .xlsx with an open password is an OLE2 file holding the package
	// encrypted (stream EncryptedPackage): it must say so, by its name too.
	pkg := bytes.Repeat([]byte{0x5A, 0xA5}, 2048)
	if err := os.WriteFile(filepath.Join(dir, "xlsx-password.xlsx"), compoundFile("EncryptedPackage", pkg), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "xlsx-password.want"), []byte("# written by go run ./internal/cmd/mkxls -damage fixtures/damage\n"+
		"refuse: 文件是加密的 Excel 工作簿（设置了打开密码）\nnote: 设置了打开密码的 .xlsx 其实是 OLE2 文件：说它是什么，而不是“不是有效的 XLSX”\n"), 0o644)
}

// compoundFile wraps one stream in an OLE2 compound file (version 3, 512-
// byte sectors): the FAT in sector 0, the directory in sector 1, the stream
// from sector 2, padded to the 4,096 bytes below which a stream would
// belong in the mini stream.
func compoundFile(name string, stream []byte) []byte {
	const sect = 512
	const endChain, freeSect, fatSect, noStream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
	size := len(stream)
	for len(stream) < 4096 || len(stream)%sect != 0 {
		stream = append(stream, 0)
	}
	n := len(stream) / sect
	if n > sect/4-2 {
		panic("stream too long for one FAT sector")
	}
	le := binary.LittleEndian
	hdr := make([]byte, sect)
	copy(hdr, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(hdr[24:], 0x003E)
	le.PutUint16(hdr[26:], 3)
	le.PutUint16(hdr[28:], 0xFFFE)
	le.PutUint16(hdr[30:], 9)
	le.PutUint16(hdr[32:], 6)
	le.PutUint32(hdr[44:], 1) // FAT sectors
	le.PutUint32(hdr[48:], 1) // first directory sector
	le.PutUint32(hdr[56:], 4096)
	le.PutUint32(hdr[60:], endChain)
	le.PutUint32(hdr[68:], endChain)
	for i := 0; i < 109; i++ {
		le.PutUint32(hdr[76+4*i:], freeSect)
	}
	le.PutUint32(hdr[76:], 0) // the FAT is sector 0
	fat := make([]byte, sect)
	for i := 0; i < sect/4; i++ {
		v := uint32(freeSect)
		switch {
		case i == 0:
			v = fatSect
		case i == 1:
			v = endChain
		case i >= 2 && i < 2+n-1:
			v = uint32(i + 1)
		case i == 2+n-1:
			v = endChain
		}
		le.PutUint32(fat[4*i:], v)
	}
	dir := make([]byte, sect)
	entry := func(i int, name string, typ byte, child, start uint32, size int) {
		e := dir[128*i:]
		u := []rune(name)
		for k, r := range u {
			le.PutUint16(e[2*k:], uint16(r))
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], uint32(size))
	}
	entry(0, "Root Entry", 5, 1, endChain, 0)
	entry(1, name, 2, noStream, 2, size)
	for i := 2; i < 4; i++ {
		le.PutUint32(dir[128*i+68:], noStream)
		le.PutUint32(dir[128*i+72:], noStream)
		le.PutUint32(dir[128*i+76:], noStream)
	}
	out := append(hdr, fat...)
	out = append(out, dir...)
	return append(out, stream...)
}
