using DonorRegistry.Access;
using DonorRegistry.Donors;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Access;

public sealed class PersonalDataMaskTests
{
    [TestCase("张三", "张*")]
    [TestCase("欧阳娜娜", "欧***")]
    [TestCase("王", "王*")]
    [TestCase("𠀀明", "𠀀*")]
    [TestCase("", "")]
    [TestCase(null, "")]
    public void Name_KeepsTheFirstCharacter(string? name, string masked) => PersonalDataMask.Name(name).Should().Be(masked);

    [TestCase("110105199001011234", "110***********1234")]
    [TestCase("1234567", "*******")]
    [TestCase(null, "")]
    public void NationalId_KeepsTheFirstThreeAndLastFour(string? id, string masked) => PersonalDataMask.NationalId(id).Should().Be(masked);

    [TestCase("13812345678", "138****5678")]
    [TestCase("+86 138 1234 5678", "+86**********5678")]
    [TestCase("12345", "*****")]
    public void Phone_KeepsTheFirstThreeAndLastFour(string phone, string masked) => PersonalDataMask.Phone(phone).Should().Be(masked);

    [Test]
    public void Apply_MasksEveryField_AndKeepsAContactsRelationship()
    {
        var personal = new PersonalData("张三", "110105199001011234", "13812345678", "北京市朝阳区建国路 1 号", [new EmergencyContact("李四", "父亲", "13987654321")]);

        var masked = PersonalDataMask.Apply(personal);

        masked.Should().Be(new PersonalData("张*", "110***********1234", "138****5678", "北京市****", [new EmergencyContact("李*", "父亲", "139****4321")]));
    }
}
