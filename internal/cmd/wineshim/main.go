// Command wineshim writes bcryptprimitives.dll for a wine prefix whose wine
// lacks it (Debian 12's wine 8.0): `make smoke-windows` runs our Windows
// binary under that wine, and Go's runtime refuses to start without
// bcryptprimitives!ProcessPrng, its source of random numbers since Go 1.24.
//
//	go run ./internal/cmd/wineshim -o $WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
//
// The DLL holds no code: its one export, ProcessPrng, is a forwarder to
// advapi32!SystemFunction036 (RtlGenRandom), which wine 8 has. The two
// agree where it matters: (buffer, length) in, non-zero for success out.
// Lengths above 4 GiB would be cut to 32 bits; Go asks for a few bytes.
// This is test scaffolding only; nothing of it ships.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
)

const (
	fileAlign = 0x200
	sectAlign = 0x1000
	exportRVA = sectAlign // the only section, .rdata, starts here
)

func main() {
	out := flag.String("o", "bcryptprimitives.dll", "file to write")
	flag.Parse()
	if err := os.WriteFile(*out, dll(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "wineshim:", err)
		os.Exit(1)
	}
}

// exports is the .rdata section: an export directory whose single function
// RVA points at a string inside the directory, which makes it a forwarder.
func exports() []byte {
	const (
		funcs    = 40 // after the 40-byte IMAGE_EXPORT_DIRECTORY
		names    = funcs + 4
		ordinals = names + 4
		fnName   = ordinals + 4 // u16 ordinal, padded
	)
	fn := "ProcessPrng\x00"
	dllName := "bcryptprimitives.dll\x00"
	target := "advapi32.SystemFunction036\x00"
	nameOff := fnName + len(fn)
	targetOff := nameOff + len(dllName)

	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	le([4]uint32{0, 0, 0, exportRVA + uint32(nameOff)}) // Characteristics, TimeDateStamp, Major/MinorVersion, Name
	le([6]uint32{1, 1, 1, exportRVA + funcs, exportRVA + names, exportRVA + ordinals})
	le(uint32(exportRVA + targetOff)) // AddressOfFunctions[0]: the forwarder string
	le(uint32(exportRVA + fnName))    // AddressOfNames[0]
	le([2]uint16{0, 0})               // AddressOfNameOrdinals[0], padding
	b.WriteString(fn + dllName + target)
	return b.Bytes()
}

func dll() []byte {
	rdata := exports()
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }

	// DOS header: only e_magic and e_lfanew matter.
	dos := make([]byte, 0x40)
	copy(dos, "MZ")
	binary.LittleEndian.PutUint32(dos[0x3c:], 0x40)
	b.Write(dos)

	b.WriteString("PE\x00\x00")
	// COFF header: x86-64, one section, PE32+ optional header (240 bytes),
	// EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE | DLL.
	le(struct {
		Machine, Sections        uint16
		Time, SymPtr, Syms       uint32
		OptSize, Characteristics uint16
	}{0x8664, 1, 0, 0, 0, 240, 0x2022})

	sizeOfImage := uint32(exportRVA + (len(rdata)+sectAlign-1)/sectAlign*sectAlign)
	le(struct {
		Magic                                              uint16
		LinkerMajor, LinkerMinor                           uint8
		SizeOfCode, SizeOfInitData, SizeOfUninitData       uint32
		EntryPoint, BaseOfCode                             uint32
		ImageBase                                          uint64
		SectionAlignment, FileAlignment                    uint32
		OSMajor, OSMinor, ImageMajor, ImageMinor           uint16
		SubsysMajor, SubsysMinor                           uint16
		Win32Version, SizeOfImage, SizeOfHeaders, Check    uint32
		Subsystem, DllCharacteristics                      uint16
		StackReserve, StackCommit, HeapReserve, HeapCommit uint64
		LoaderFlags, NumberOfRvaAndSizes                   uint32
	}{
		Magic: 0x20b, SizeOfInitData: fileAlign, ImageBase: 0x180000000,
		SectionAlignment: sectAlign, FileAlignment: fileAlign,
		OSMajor: 6, SubsysMajor: 6, SizeOfImage: sizeOfImage, SizeOfHeaders: fileAlign,
		Subsystem: 3, StackReserve: 0x100000, StackCommit: 0x1000, HeapReserve: 0x100000, HeapCommit: 0x1000,
		NumberOfRvaAndSizes: 16,
	})
	// Data directories: [0] is the export table; the other 15 are empty.
	le([2]uint32{exportRVA, uint32(len(rdata))})
	le([30]uint32{})

	// The section header for .rdata: initialised, read-only data.
	le(struct {
		Name                            [8]byte
		VirtualSize, VirtualAddress     uint32
		SizeOfRawData, PointerToRawData uint32
		PointerToRelocs, PointerToLines uint32
		NumberOfRelocs, NumberOfLines   uint16
		Characteristics                 uint32
	}{[8]byte{'.', 'r', 'd', 'a', 't', 'a'}, uint32(len(rdata)), exportRVA, fileAlign, fileAlign, 0, 0, 0, 0, 0x40000040})

	b.Write(make([]byte, fileAlign-b.Len()))
	b.Write(rdata)
	b.Write(make([]byte, 2*fileAlign-b.Len()))
	return b.Bytes()
}
